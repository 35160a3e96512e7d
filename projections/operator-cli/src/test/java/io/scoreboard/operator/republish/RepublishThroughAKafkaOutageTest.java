package io.scoreboard.operator.republish;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.infra.localstack.EmbeddedKafka;
import io.scoreboard.operator.Cli;
import io.scoreboard.operator.Installation;
import io.scoreboard.operator.cli.ExitCode;
import io.scoreboard.operator.source.TopicEvents;
import io.scoreboard.testsupport.TestKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The broker stops while republish is sending, and comes back: republish goes on from the last
 * position Kafka confirmed. The topic then holds every stored event, and each board's first copies in
 * its order (copies sent again after the outage follow their originals; consumers skip them).
 */
class RepublishThroughAKafkaOutageTest {

    private static final Duration LONG_ENOUGH = Duration.ofMinutes(4);

    @Test
    void brokerStoppedMidway_republishGoesOn_everyEventInTheTopic_eachBoardsFirstCopiesInOrder() throws Exception {
        EmbeddedKafka kafka = TestKafka.embedded().orElse(null);
        Assumptions.assumeTrue(kafka != null, "needs the embedded broker, to stop and start it");
        try (Installation installation = Installation.create("test")) {
            StoredHistory.append(installation.databases, 20, 1_000);
            List<EventEnvelope> stored = StoredHistory.read(installation.databases);

            Cli.Running run = Cli.start(installation.command("republish", "--confirm", "test", "--wait", "4m"));
            // Stop the broker once the first events are in (if republish is that quick, it simply finished).
            awaitUntil(() -> run.isDone() || records(installation.topic) > 0);
            kafka.stop();
            try {
                awaitUntil(() -> run.isDone() || run.errSoFar().contains("waiting: Kafka at"));
            } finally {
                kafka.restart();
            }
            Cli.Result result = run.await(LONG_ENOUGH);

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.OK.status());
            List<EventEnvelope> topic = readTopic(installation.topic);
            assertThat(new HashSet<>(topic.stream().map(EventEnvelope::eventId).toList()))
                    .containsExactlyInAnyOrderElementsOf(stored.stream().map(EventEnvelope::eventId).toList());
            Map<UUID, Long> next = new HashMap<>();
            Set<UUID> seen = new HashSet<>();
            for (EventEnvelope e : topic) {
                if (seen.add(e.eventId())) { // a first copy: the board's next event, never one ahead of it
                    assertThat(e.sequenceNumber()).as("board " + e.scoreboardId())
                            .isEqualTo(next.getOrDefault(e.scoreboardId(), 0L));
                    next.put(e.scoreboardId(), e.sequenceNumber() + 1);
                }
            }
        }
    }

    private static long records(String topic) {
        try (Admin admin = Installation.admin()) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < Installation.PARTITIONS; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            return admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).values().stream()
                    .mapToLong(o -> o.offset()).sum();
        } catch (Exception e) {
            return 0;
        }
    }

    /** Every record, partition by partition (a board's records share one), in offset order. */
    private static List<EventEnvelope> readTopic(String topic) throws Exception {
        List<EventEnvelope> records = new ArrayList<>();
        try (TopicEvents events = new TopicEvents(TestKafka.bootstrapServers(), topic)) {
            Map<Integer, List<EventEnvelope>> byPartition = new HashMap<>();
            events.read(Map.of(), events.endOffsets(),
                    (p, o, e) -> byPartition.computeIfAbsent(p, x -> new ArrayList<>()).add(e));
            byPartition.values().forEach(records::addAll);
        }
        return records;
    }

    private static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + LONG_ENOUGH.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the condition did not come true in " + LONG_ENOUGH);
            }
            Thread.sleep(20);
        }
    }
}
