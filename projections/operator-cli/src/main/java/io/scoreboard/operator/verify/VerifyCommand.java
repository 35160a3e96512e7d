package io.scoreboard.operator.verify;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.operator.cli.Console;
import io.scoreboard.operator.cli.ExitCode;
import io.scoreboard.operator.cli.WaitingCommand;
import io.scoreboard.operator.cli.OperatorException;
import io.scoreboard.operator.cli.Progress;
import io.scoreboard.operator.cli.Target;
import io.scoreboard.startup.TopicEnvironment;
import io.scoreboard.operator.source.EventTopicAdmin;
import io.scoreboard.operator.source.StoredEvents;
import io.scoreboard.operator.source.TopicEvents;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code verify}: read-only. The event store and the topic hold the same events, and the read model
 * equals a fresh recomputation from them ({@link ReadModelCheck}). Writes go on meanwhile, so it compares consistent cuts:
 * the topic's end offsets are taken before the store's snapshot (every record below them must be
 * in the snapshot); a stored event not in the topic yet may be replication lag, so the topic is
 * read on, for a bounded time, before the event is called missing.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, description = {"Check that the event store, the Kafka "
        + "topic and the read model agree. Exit 0 when they do, 1 on any difference. Read-only.",
        "Waits out PostgreSQL or Kafka being down (--wait): reads the topic on where it was, or compares again "
                + "from the start after a lost database connection."})
public final class VerifyCommand extends WaitingCommand {

    @Option(names = "--replication-wait", paramLabel = "<seconds>", defaultValue = "30",
            description = "How long a stored event may take to appear in the topic before it counts as missing "
                    + "(default: ${DEFAULT-VALUE})")
    long replicationWaitSeconds;

    @Option(names = "--show", paramLabel = "<n>", defaultValue = "20",
            description = "How many differences to list (all are counted; default: ${DEFAULT-VALUE})")
    int show;

    /** Only reads and compares: another environment's topic is refused. */
    @Override
    protected Optional<TopicEnvironment.Use> topicUse() {
        return Optional.of(TopicEnvironment.Use.REPORT);
    }

    /**
     * Only reads: a lost database connection starts the comparison over (one snapshot is its point);
     * a Kafka outage is waited out where the topic read was.
     */
    @Override
    protected ExitCode run(Target target, Console console) throws Exception {
        VerifyReport report = waiting.retry("comparing the event store, the topic and the read model",
                () -> compare(target, console));
        report.print(console);
        return report.differences().total() == 0 ? ExitCode.OK : ExitCode.FAILED;
    }

    private VerifyReport compare(Target target, Console console) throws Exception {
        Differences differences = new Differences(show);
        VerifyReport report = new VerifyReport(target, differences);
        try (Connection events = target.openEvents();
             TopicEvents topic = new TopicEvents(target.kafka(), target.topic(), EventTopicAdmin.TIMEOUT, waiting)) {
            // Before the topic's cut: the read model reflects records below its checkpoints, all below the cut.
            ReadModelCheck readModel = ReadModelCheck.snapshot(target, differences);
            if (!topic.exists()) {
                throw new OperatorException(ExitCode.FAILED, "the topic '" + target.topic() + "' does not exist on "
                        + target.kafka() + ": none of the event store's events are in it",
                        "refill it from the event store with './scoreboard republish', then verify again");
            }
            Map<Integer, Long> begin = topic.beginningOffsets();
            Map<Integer, Long> cut = topic.endOffsets();
            readModel.requireWithin(cut);
            StoredEvents.beginSnapshot(events);
            StoredEvents.Summary summary = StoredEvents.summary(events);
            report.store(summary);
            StoreIndex index = StoreIndex.read(events, summary.events(),
                    console.progress("reading the event store", "events", summary.events()));
            TopicComparison comparison = new TopicComparison(index, differences);
            readTopic(console, topic, begin, cut, (partition, offset, event) -> {
                comparison.accept(partition, offset, event);
                readModel.accept(partition, offset, event);
            });
            comparison.pastTheCut();
            Map<Integer, Long> reached = awaitReplication(console, topic, cut, index, comparison);
            comparison.reportMissing("(waited up to " + replicationWaitSeconds + " s for replication)");
            differences.refine(Difference.Kind.CONTENT_DIFFERS, d -> detailOf(events, comparison, d));
            readModel.compare();
            report.topic(cut, reached, comparison);
            report.readModel(readModel);
        }
        return report;
    }

    private static void readTopic(Console console, TopicEvents topic, Map<Integer, Long> from, Map<Integer, Long> to,
                                  TopicEvents.RecordSink sink) throws Exception {
        long total = to.entrySet().stream().mapToLong(e -> e.getValue() - from.getOrDefault(e.getKey(), 0L)).sum();
        Progress progress = console.progress("reading the topic", "records", total);
        topic.read(from, to, (partition, offset, event) -> {
            sink.accept(partition, offset, event);
            progress.advance(1);
        });
        progress.finish();
    }

    /** Reads the topic on while stored events are still unseen, until the wait is over; returns the offsets reached. */
    private Map<Integer, Long> awaitReplication(Console console, TopicEvents topic, Map<Integer, Long> cut,
                                                StoreIndex index, TopicComparison comparison) throws Exception {
        Map<Integer, Long> reached = cut;
        long deadline = System.nanoTime() + Duration.ofSeconds(replicationWaitSeconds).toNanos();
        if (index.unseen() > 0) {
            console.say(index.unseen() + " stored events not in the topic yet; reading on for up to "
                    + replicationWaitSeconds + " s (replication lag)");
        }
        while (index.unseen() > 0 && System.nanoTime() < deadline) {
            Map<Integer, Long> newer = topic.endOffsets();
            if (newer.equals(reached)) {
                Thread.sleep(200);
                continue;
            }
            readTopic(console, topic, reached, newer, comparison);
            reached = newer;
        }
        return reached;
    }

    private static Difference detailOf(Connection events, TopicComparison comparison, Difference d) {
        EventEnvelope copy = comparison.differingCopy(d.eventId());
        if (copy == null) {
            return d;
        }
        try {
            EventEnvelope stored = StoredEvents.byId(events, d.eventId());
            return d.withDetail(d.detail() + ": " + String.join(", ", EventFingerprint.differingFields(stored, copy)));
        } catch (Exception e) {
            return d.withDetail(d.detail() + " (details unavailable: " + e.getMessage() + ")");
        }
    }
}
