package io.scoreboard.operator.cli;

import io.scoreboard.operator.source.UnreadableEventException;
import io.scoreboard.startup.TopicEnvironment;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What every operator command shares: where to connect ({@link TargetOptions}), {@code --json},
 * and one way to fail: a problem and a fix on stderr and an {@link ExitCode}, never a stack trace
 * (add {@code --debug} for one).
 */
public abstract class OperatorCommand implements Callable<Integer> {

    @Mixin
    protected TargetOptions targetOptions;

    @Option(names = "--json", description = "Print the result as one JSON document on stdout (messages go to stderr)")
    protected boolean json;

    @Option(names = "--debug", description = "Print the stack trace of a failure", hidden = true)
    protected boolean debug;

    /**
     * How the command uses the event topic, checked against the topic's recorded environment before
     * {@link #run} (ADR 0017); empty only for a command that never touches Kafka. Every command must say.
     */
    protected abstract Optional<TopicEnvironment.Use> topicUse();

    /** Runs the command; returns how it ended (throw {@link OperatorException} for a failure with a fix). */
    protected abstract ExitCode run(Target target, Console console) throws Exception;

    /**
     * How long this run waits out an unreachable PostgreSQL or Kafka ({@code --wait}, ADR 0020); zero
     * (give up at once) for a command that has no {@link WaitBound} option.
     */
    protected Duration waitBound() {
        return Duration.ZERO;
    }

    /** The default of {@code --wait} for this command, shown in its {@code --help}. */
    public Duration defaultWait() {
        return Duration.ZERO;
    }

    /** What the operator should know when a wait gives up in the middle of this command. */
    protected String afterGivingUp() {
        return "Nothing was changed; run the command again once it is back.";
    }

    /** Waits out transient faults for this run; set before {@link #run}. */
    protected WaitingOut waiting;

    /** False when the topic's check found Kafka unreachable and went on without it (status only). */
    protected boolean kafkaAnswered = true;

    /** The console a command writes to; tests replace it. */
    protected Console console() {
        return Console.system(json);
    }

    @Override
    public Integer call() {
        Console console = console();
        try {
            Target target = targetOptions.resolve();
            waiting = new WaitingOut(waitBound(), console, target, afterGivingUp());
            // Before the command opens anything: a topic of another environment ends it here, nothing changed.
            Optional<TopicEnvironment.Use> use = topicUse();
            if (use.isPresent()) {
                checkTopic(target, console, use.get());
            }
            return run(target, console).status();
        } catch (OperatorException e) {
            console.error(e.getMessage(), e.fix());
            printTrace(e);
            return e.code().status();
        } catch (UnreadableEventException e) {
            console.error(e.getMessage(), "nothing after this event was applied; find the event by the position "
                    + "or offset above (it was written by something that is not this version's replicator), and "
                    + "report it before going on");
            printTrace(e);
            return ExitCode.FAILED.status();
        } catch (Exception e) {
            Optional<TransientFaults.Fault> fault = waiting == null ? Optional.empty() : TransientFaults.classify(e);
            if (fault.isPresent()) { // an outage outside any waited step still reads as one: exit 4 and the fix
                OperatorException unreachable = waiting.unreachable(fault.get().server(), "running the command",
                        fault.get().reason());
                console.error(unreachable.getMessage(), unreachable.fix());
                printTrace(e);
                return ExitCode.UNREACHABLE.status();
            }
            console.error("failed: " + e, "run again with --debug for the stack trace; nothing that was committed "
                    + "is lost, and every command can be run again");
            printTrace(e);
            return ExitCode.FAILED.status();
        }
    }

    /**
     * The topic's environment, before anything else. A command that only reports and does not wait
     * (status) goes on without the check when Kafka is down, and shows Kafka unreachable; every other
     * command waits for Kafka here: none reads a topic whose environment it has not seen.
     */
    private void checkTopic(Target target, Console console, TopicEnvironment.Use use) throws Exception {
        if (use == TopicEnvironment.Use.REPORT && waitBound().isZero()) {
            kafkaAnswered = target.requireTopic(use, console, true).isPresent();
            return;
        }
        waiting.retry("checking the environment of topic '" + target.topic() + "'", "Nothing was changed.",
                () -> target.requireTopic(use, console, false));
    }

    private void printTrace(Exception e) {
        if (debug) {
            e.printStackTrace();
        }
    }
}
