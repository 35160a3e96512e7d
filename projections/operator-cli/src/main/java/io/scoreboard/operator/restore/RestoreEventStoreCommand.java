package io.scoreboard.operator.restore;

import io.scoreboard.operator.cli.Console;
import io.scoreboard.operator.cli.ExitCode;
import io.scoreboard.operator.cli.WaitingCommand;
import io.scoreboard.operator.cli.Target;
import io.scoreboard.startup.TopicEnvironment;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ./scoreboard restore-event-store --from kafka}: disaster recovery for a lost event store. */
@Command(name = "restore-event-store", mixinStandardHelpOptions = true,
        description = {"Refill an empty, freshly migrated event store from the Kafka topic: the same event ids, "
                + "positions, per-board sequence numbers, payloads and time stamps, all in one transaction.",
                "Refuses a store that holds anything, a running command service, and a topic with holes in any "
                        + "board's history. Idempotency-Key records are not in Kafka and are not restored.",
                "Waits out PostgreSQL or Kafka being down (--wait): reads the topic on where it was; after a lost "
                        + "database connection (everything rolled back) starts over."})
public final class RestoreEventStoreCommand extends WaitingCommand {

    static final String KAFKA = "kafka";

    @Spec
    CommandSpec spec;

    @Option(names = "--confirm", paramLabel = "<env>",
            description = "The target's environment name, typed back; required when not at a terminal")
    String confirm;

    @Option(names = "--from", required = true, paramLabel = KAFKA,
            description = "Where the events come from; the topic is the only other copy, so: kafka")
    void from(String source) {
        if (!KAFKA.equals(source)) {
            throw new ParameterException(spec.commandLine(), "--from " + source + ": the event store can only be "
                    + "restored from the Kafka topic (--from kafka)");
        }
    }

    /** The event store is refilled from the topic: it must be this environment's. */
    @Override
    protected Optional<TopicEnvironment.Use> topicUse() {
        return Optional.of(TopicEnvironment.Use.READ);
    }

    @Override
    protected ExitCode run(Target target, Console console) throws Exception {
        RestoreResult result = new EventStoreRestore(target, console, Clock.systemUTC(), waiting).run(confirm);
        console.say(String.format(Locale.ROOT, "Restored %,d events of %,d boards into %s (last position %,d) in %.1f s "
                        + "(%,.0f events/s); %,d duplicate records skipped.", result.events(), result.boards(),
                result.database(), result.lastPosition(), result.duration().toMillis() / 1000.0,
                result.eventsPerSecond(), result.duplicates()));
        console.say(String.format(Locale.ROOT, "The replicator goes on after position %,d (nothing is published "
                + "again); new events get higher positions. Start the command service(s) now.", result.lastPosition()));
        console.warn(RestoreResult.NOT_RESTORED);
        console.result(result.toJson());
        return ExitCode.OK;
    }
}
