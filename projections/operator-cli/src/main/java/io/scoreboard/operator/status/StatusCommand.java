package io.scoreboard.operator.status;

import io.scoreboard.operator.cli.Console;
import io.scoreboard.operator.cli.ExitCode;
import io.scoreboard.operator.cli.WaitingCommand;
import io.scoreboard.operator.cli.Target;
import io.scoreboard.operator.cli.TransientFaults;
import io.scoreboard.operator.cli.WaitBound;
import io.scoreboard.operator.source.EventTopicAdmin;
import io.scoreboard.startup.TopicEnvironment;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;

/**
 * {@code status}: read-only. Reads each part on its own (event store, topic, read model) so that a
 * part that is down or missing is marked and the rest still shown. Exit 0 when every part could be
 * reached, whatever state it is in (a deleted topic or an empty read model is shown, judged by
 * {@code verify}); 4 when a database or the broker could not be reached; 3 when a database belongs
 * to another environment (nothing else is read then). By default it does not wait: a server that is
 * down is shown as unreachable within a couple of seconds; {@code --wait} waits for it instead.
 */
@Command(name = "status", mixinStandardHelpOptions = true, description = {"Positions and counts of the event store, "
        + "the Kafka topic and each projection; replication and projection lag. Read-only.",
        "Does not wait: a database or broker that is down is shown as UNREACHABLE within a couple of seconds "
                + "(exit 4), unless --wait is given."})
public final class StatusCommand extends WaitingCommand {

    private final Clock clock = Clock.systemUTC();

    /** Only reads, and an operator wants an answer now: shows what is unreachable instead of waiting. */
    @Override
    public Duration defaultWait() {
        return Duration.ZERO;
    }

    /** Only reads: what it could not reach is in the report. */
    @Override
    protected String afterGivingUp() {
        return "";
    }

    /** Only reads: another environment's topic is refused, an unrecorded one reported. */
    @Override
    protected Optional<TopicEnvironment.Use> topicUse() {
        return Optional.of(TopicEnvironment.Use.REPORT);
    }

    @Override
    protected ExitCode run(Target target, Console console) {
        Part<EventStoreReading> store = Part.read(waiting, "reading the event store",
                () -> EventStoreReading.read(target, clock.instant()));
        Part<List<ProjectionReading>> projections = Part.read(waiting, "reading the read model",
                () -> ProjectionReading.readAll(target));
        boolean quick = waitBound().isZero();
        // Kafka did not answer the topic's check a moment ago: asking again would only double the wait.
        Part<TopicReading> topic = kafkaAnswered
                ? Part.read(waiting, "reading topic '" + target.topic() + "'", () -> TopicReading.read(target.kafka(),
                        target.topic(), quick ? Target.QUICK_KAFKA_TIMEOUT : EventTopicAdmin.TIMEOUT))
                : Part.unreachable(waiting.unreachable(TransientFaults.Server.KAFKA, "checking the environment of "
                        + "topic '" + target.topic() + "'", "no answer within " + WaitBound.format(Target.QUICK_KAFKA_TIMEOUT)));
        StatusReport report = new StatusReport(target, store, topic, projections);
        if (console.json()) {
            console.result(report.json());
        } else {
            report.lines().forEach(console::say);
        }
        boolean allReached = store instanceof Part.Known && topic instanceof Part.Known
                && projections instanceof Part.Known;
        return allReached ? ExitCode.OK : ExitCode.UNREACHABLE;
    }
}
