package io.scoreboard.operator.claim;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.operator.cli.Confirmation;
import io.scoreboard.operator.cli.Console;
import io.scoreboard.operator.cli.ExitCode;
import io.scoreboard.operator.cli.WaitingCommand;
import io.scoreboard.operator.cli.OperatorException;
import io.scoreboard.operator.cli.Target;
import io.scoreboard.operator.cli.TransientFaults;
import io.scoreboard.operator.source.EventTopicAdmin;
import io.scoreboard.operator.readmodel.ReadModelTables;
import io.scoreboard.operator.source.TopicEvents;
import io.scoreboard.projections.checkpoint.PartitionCheckpoint;
import io.scoreboard.projections.checkpoint.ProjectionCheckpoints;
import io.scoreboard.projections.scoreboard.ScoreboardProjection;
import io.scoreboard.startup.EventStoreTables;
import io.scoreboard.startup.StartupCheckFailedException;
import io.scoreboard.startup.TopicEnvironment;
import io.scoreboard.startup.TopicEnvironmentCheck;
import io.scoreboard.startup.TopicRefusedException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code claim-topic}: records that a topic which already holds events belongs to this environment
 * (installations from before topics recorded their environment, ADR 0017). Services and the changing
 * commands refuse such a topic rather than guess; this is the one deliberate way to record it, and it
 * first shows that the events are this environment's: the first record of every partition is in this
 * environment's event store, or this environment's read database has read this very topic (its
 * checkpoints carry the topic's id).
 */
@Command(name = "claim-topic", mixinStandardHelpOptions = true,
        description = {"Record that the Kafka topic belongs to this environment: for a topic that holds events but "
                + "records no environment (created before topics recorded one).",
                "First checks that its events are this environment's: in its event store, or read by its read database.",
                "Waits out PostgreSQL or Kafka being down (--wait); recording is done once, however often it is tried."})
public final class ClaimTopicCommand extends WaitingCommand {

    @Option(names = "--confirm", paramLabel = "<env>",
            description = "The target's environment name, typed back; required when not interactive")
    String confirm;

    /** Another environment's topic is refused before anything is read; the claim itself is this command's work. */
    @Override
    protected Optional<TopicEnvironment.Use> topicUse() {
        return Optional.of(TopicEnvironment.Use.REPORT);
    }

    /** What the checks found: the topic is recorded already (proof null), or the proof that it is ours. */
    private record Finding(boolean bound, String topicId, String proof) {}

    @Override
    protected ExitCode run(Target target, Console console) throws Exception {
        // Only reads until the confirmation: waited out and tried again from the start.
        Finding finding = waiting.retry("checking topic '" + target.topic() + "'", () -> find(target));
        if (finding.bound()) {
            console.say("Topic '" + target.topic() + "' already belongs to environment '" + target.environment()
                    + "'. Nothing to do.");
            console.result(Map.of("topic", target.topic(), "environment", target.environment(), "claimed", false));
            return ExitCode.OK;
        }
        console.say("Claim topic '" + target.topic() + "' (id " + finding.topicId() + ") on " + target.kafka()
                + " for environment '" + target.environment() + "': " + finding.proof() + ".");
        Confirmation.require(console, confirm, target.environment(), "record Kafka topic '" + target.topic()
                + "' as belonging to environment '" + target.environment() + "'");
        // Recording looks first and writes only when nothing is recorded: trying again is safe.
        waiting.retry("recording the environment of topic '" + target.topic() + "'", "Nothing was recorded, or "
                + "the record was written as the connection dropped; run claim-topic again (it records once).",
                () -> topicCheck(target, check -> check.claimWithRecords(target.environment())));
        console.say("Recorded: topic '" + target.topic() + "' belongs to environment '" + target.environment()
                + "' (in '" + TopicEnvironment.identityTopic(target.topic()) + "'). Services of '"
                + target.environment() + "' may use it now; every other environment is refused.");
        console.result(Map.of("topic", target.topic(), "topicId", finding.topicId(), "environment",
                target.environment(), "claimed", true, "proof", finding.proof()));
        return ExitCode.OK;
    }

    private Finding find(Target target) throws Exception {
        TopicEnvironment.Verdict verdict = topicCheck(target, check -> check.check(target.environment(),
                TopicEnvironment.Use.REPORT));
        if (verdict.bound()) {
            return new Finding(true, null, null);
        }
        try (Connection events = target.openEvents(); Connection read = target.openRead();
             TopicEvents topic = new TopicEvents(target.kafka(), target.topic(), EventTopicAdmin.TIMEOUT, null)) {
            String topicId = topic.topicId().orElseThrow(() -> OperatorException.refused("the topic '" + target.topic()
                    + "' does not exist on " + target.kafka() + ". Nothing was changed.",
                    "a new topic is recorded by the first service or republish that uses it; check --topic"));
            String proof = readByThisReadModel(read, target.topic(), topicId)
                    .or(() -> inThisEventStore(events, topic))
                    .orElseThrow(() -> OperatorException.refused("the topic '" + target.topic() + "' cannot be "
                            + "shown to be environment '" + target.environment() + "'s: the first events of its "
                            + "partitions are not in the event store " + Target.databaseName(target.eventsUrl())
                            + ", and the read database has not read this topic (id " + topicId + "). Nothing was "
                            + "changed.", "check --topic and --kafka: this looks like another environment's topic. "
                            + "Run claim-topic configured for the environment whose databases hold its events."));
            return new Finding(false, topicId, proof);
        }
    }

    /** One use of the topic's identity check, with its refusals and Kafka failures as the CLI reports them. */
    private static <T> T topicCheck(Target target, java.util.function.Function<TopicEnvironmentCheck, T> use) {
        try (TopicEnvironmentCheck check = target.topicEnvironment()) {
            return use.apply(check);
        } catch (TopicRefusedException e) {
            throw OperatorException.refused(e.getMessage(), e.fix());
        } catch (StartupCheckFailedException e) {
            throw OperatorException.unreachable(e.getMessage(), e.fix(), e);
        }
    }

    /** This environment's read database has read this incarnation of the topic. */
    private static Optional<String> readByThisReadModel(Connection read, String topic, String topicId)
            throws SQLException {
        ReadModelTables.use(read);
        Map<Integer, PartitionCheckpoint> checkpoints = new ProjectionCheckpoints().load(read,
                ScoreboardProjection.NAME, topic);
        return checkpoints.values().stream().anyMatch(c -> topicId.equals(c.topicId()))
                ? Optional.of("the read database's checkpoints belong to this topic id")
                : Optional.empty();
    }

    /** The first record of every non-empty partition is an event of this environment's event store. */
    private static Optional<String> inThisEventStore(Connection events, TopicEvents topic) {
        try {
            Map<Integer, Long> begin = topic.beginningOffsets();
            Map<Integer, Long> end = topic.endOffsets();
            Map<Integer, Long> first = new TreeMap<>();
            begin.forEach((partition, offset) -> {
                if (offset < end.get(partition)) {
                    first.put(partition, offset + 1);
                }
            });
            if (first.isEmpty()) {
                return Optional.empty();
            }
            List<EventEnvelope> firsts = new ArrayList<>();
            topic.read(begin, first, (partition, offset, event) -> firsts.add(event));
            try (PreparedStatement p = events.prepareStatement(
                    "SELECT 1 FROM " + EventStoreTables.EVENTS + " WHERE event_identifier = ?")) {
                for (EventEnvelope e : firsts) {
                    p.setString(1, e.eventId().toString());
                    try (ResultSet rs = p.executeQuery()) {
                        if (!rs.next()) {
                            return Optional.empty();
                        }
                    }
                }
            }
            return Optional.of("the first event of each of its " + firsts.size() + " non-empty partitions is in the "
                    + "event store");
        } catch (OperatorException e) {
            throw e;
        } catch (Exception e) {
            if (TransientFaults.isTransient(e)) {
                throw OperatorException.unreachable("cannot compare the topic with the event store: " + e,
                        "check that PostgreSQL and Kafka run", e); // waited out by the caller
            }
            throw new OperatorException(ExitCode.FAILED, "cannot compare the topic with the event store: " + e,
                    "run again with --debug; nothing was changed", e);
        }
    }
}
