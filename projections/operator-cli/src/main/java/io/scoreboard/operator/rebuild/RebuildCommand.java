package io.scoreboard.operator.rebuild;

import io.scoreboard.infra.database.ReadModelSchema;
import io.scoreboard.operator.cli.Confirmation;
import io.scoreboard.operator.cli.Console;
import io.scoreboard.operator.cli.ExitCode;
import io.scoreboard.operator.cli.WaitingCommand;
import io.scoreboard.operator.cli.OperatorException;
import io.scoreboard.operator.cli.Target;
import io.scoreboard.startup.TopicEnvironment;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "rebuild", mixinStandardHelpOptions = true,
        description = {"Rebuild the read model from events into a new schema while the query service keeps serving "
                + "the old one, then switch to it atomically; the previous model is kept as a retired schema.",
                "With --until, build a point-in-time copy beside the live model instead (not switched in).",
                "Waits out PostgreSQL or Kafka being down (--wait): reads the topic on where it was; after a lost "
                        + "database connection starts over into a new schema, removing the unfinished one."})
public final class RebuildCommand extends WaitingCommand {

    @Option(names = "--source", paramLabel = "kafka|event-store", defaultValue = "kafka",
            converter = SourceConverter.class,
            description = "Where to read the events: the Kafka topic (default) or the event store")
    RebuildSource source;

    @Option(names = "--until", paramLabel = "<instant>",
            description = "Build a copy as the boards stood at this ISO-8601 instant (e.g. 2026-11-24T18:00:00Z); "
                    + "it is not switched in")
    String until;

    @Option(names = "--confirm", paramLabel = "<env>",
            description = "The target's environment name, typed back: required to switch when not interactive")
    String confirm;

    /** The read model is built from (or positioned in) the topic: it must be this environment's. */
    @Override
    protected Optional<TopicEnvironment.Use> topicUse() {
        return Optional.of(TopicEnvironment.Use.READ);
    }

    @Override
    protected ExitCode run(Target target, Console console) throws Exception {
        Optional<Instant> pointInTime = parseUntil();
        String database = Target.databaseName(target.readUrl());
        console.say("Rebuild of the read model in environment '" + target.environment() + "'");
        console.say("  read database  " + database + " (" + target.readUrl() + ")");
        console.say("  source         " + (source == RebuildSource.KAFKA ? "Kafka topic " + target.topic() + " at "
                + target.kafka() : "event store " + Target.databaseName(target.eventsUrl())));
        if (pointInTime.isPresent()) {
            console.say("  builds         a copy as of " + pointInTime.get() + " beside the live model (not switched in)");
        } else {
            console.say("  builds         a new schema, then switches it in as " + ReadModelSchema.LIVE
                    + " (the current one is kept, renamed)");
            Confirmation.require(console, confirm, target.environment(), "switch the read model of database "
                    + database + " to a copy rebuilt from " + source.option());
        }
        ReadModelRebuild.Report report = new ReadModelRebuild(target, console, Clock.systemUTC(), waiting)
                .run(source, pointInTime);
        console.say(String.format(Locale.ROOT, "Done in %.1f s: %,d boards, %,d events read (%,d applied, %,d "
                        + "duplicates skipped), %,.0f events/s.", report.totalMillis() / 1000.0, report.boards(),
                report.eventsRead(), report.eventsApplied(), report.duplicates(), report.eventsPerSecond()));
        if (pointInTime.isPresent()) {
            console.say(String.format(Locale.ROOT, "The copy is schema %s (%,d later events left out). Query it with "
                    + "SET search_path = %s; the live read model is unchanged.", report.schema(),
                    report.eventsAfterUntil(), report.schema()));
        } else {
            console.say("The query service now serves the rebuilt model (switch held the live projection for "
                    + report.switchLockMillis() + " ms, " + report.caughtUp() + " events caught up).");
            if (report.retiredSchema() != null) {
                console.say("The previous model is kept as schema " + report.retiredSchema() + "; drop it when no "
                        + "longer needed: DROP SCHEMA " + report.retiredSchema() + " CASCADE;");
            }
        }
        console.result(report.toJson());
        return ExitCode.OK;
    }

    private Optional<Instant> parseUntil() {
        if (until == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(until));
        } catch (DateTimeParseException e) {
            throw new OperatorException(ExitCode.USAGE, "--until '" + until + "' is not an ISO-8601 instant",
                    "write it like 2026-11-24T18:00:00Z (UTC, with the Z)");
        }
    }

    static final class SourceConverter implements picocli.CommandLine.ITypeConverter<RebuildSource> {
        @Override
        public RebuildSource convert(String value) {
            return RebuildSource.fromOption(value);
        }
    }
}
