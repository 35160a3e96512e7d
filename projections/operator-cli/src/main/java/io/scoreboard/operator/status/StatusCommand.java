package io.scoreboard.operator.status;

import io.scoreboard.operator.cli.Console;
import io.scoreboard.operator.cli.ExitCode;
import io.scoreboard.operator.cli.OperatorCommand;
import io.scoreboard.operator.cli.Target;
import io.scoreboard.startup.TopicEnvironment;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;

/**
 * {@code status}: read-only. Reads each part on its own (event store, topic, read model) so that a
 * part that is down or missing is marked and the rest still shown. Exit 0 when every part could be
 * reached, whatever state it is in (a deleted topic or an empty read model is shown, judged by
 * {@code verify}); 4 when a database or the broker could not be reached; 3 when a database belongs
 * to another environment (nothing else is read then).
 */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Positions and counts of the event store, the Kafka topic and each "
        + "projection; replication and projection lag. Read-only.")
public final class StatusCommand extends OperatorCommand {

    private final Clock clock = Clock.systemUTC();

    /** Only reads: another environment's topic is refused, an unrecorded one reported. */
    @Override
    protected Optional<TopicEnvironment.Use> topicUse() {
        return Optional.of(TopicEnvironment.Use.REPORT);
    }

    @Override
    protected ExitCode run(Target target, Console console) {
        Part<EventStoreReading> store = Part.read(() -> EventStoreReading.read(target, clock.instant()));
        Part<List<ProjectionReading>> projections = Part.read(() -> ProjectionReading.readAll(target));
        Part<TopicReading> topic = Part.read(() -> TopicReading.read(target.kafka(), target.topic()));
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
