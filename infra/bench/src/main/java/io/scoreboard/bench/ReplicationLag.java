package io.scoreboard.bench;

import io.scoreboard.events.EventJson;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Replication lag as the topic itself records it. The benchmark's topic has
 * {@code message.timestamp.type=LogAppendTime}: the broker stamps each record when it appends it,
 * which (one broker, acks=all) is when it acknowledges it. The envelope carries the event's
 * occurred-at, stamped by Axon when the command applied the event, inside the command's
 * transaction just before the PostgreSQL commit. Append time minus occurred-at is therefore the
 * commit-to-ack lag plus the short insert-and-commit step before it: an upper bound, never flattering.
 * Read after the load, so measuring adds nothing to it. Both stamps come from this host's clock.
 */
final class ReplicationLag {

    private ReplicationLag() {}

    /** Lags above this are counted and the longest is dated, so a stall can be found in the services' logs. */
    private static final long STALL_NANOS = Duration.ofMillis(200).toNanos();

    /**
     * Lags of the events that occurred inside [fromMillis, toMillis); says when the longest one was acknowledged and
     * how many exceeded 200 ms (one stall or a spread tail: the percentiles alone cannot tell).
     */
    static LatencySummary measure(String phase, String bootstrap, String topic, int partitions, long fromMillis,
            long toMillis) {
        long[] lags = new long[1 << 16];
        int n = 0;
        long longest = -1;
        long longestAckedAt = 0;
        int stalled = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> all = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                all.add(new TopicPartition(topic, p));
            }
            consumer.assign(all);
            consumer.seekToBeginning(all);
            Map<TopicPartition, Long> end = consumer.endOffsets(all);
            while (all.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.timestampType() != TimestampType.LOG_APPEND_TIME) {
                        throw new IllegalStateException("topic " + topic + " does not stamp append times ("
                                + r.timestampType() + "): the lag cannot be read from it");
                    }
                    Instant occurred = EventJson.readEnvelope(r.value()).occurredAt();
                    long occurredMillis = occurred.toEpochMilli();
                    if (occurredMillis < fromMillis || occurredMillis >= toMillis) {
                        continue;
                    }
                    if (n == lags.length) {
                        lags = Arrays.copyOf(lags, n * 2);
                    }
                    long lag = lagNanos(occurred, r.timestamp());
                    lags[n++] = lag;
                    if (lag > STALL_NANOS) {
                        stalled++;
                    }
                    if (lag > longest) {
                        longest = lag;
                        longestAckedAt = r.timestamp();
                    }
                }
            }
        }
        if (n > 0) {
            BenchStack.say(String.format("%s: longest lag %d ms, acknowledged at %s; %,d of %,d events over %d ms",
                    phase, longest / 1_000_000, Instant.ofEpochMilli(longestAckedAt), stalled, n,
                    STALL_NANOS / 1_000_000));
        }
        return LatencySummary.of(Arrays.copyOf(lags, n), 0, (toMillis - fromMillis) * 1_000_000L);
    }

    /** From the event's occurred-at to the broker's append time (millisecond resolution). */
    static long lagNanos(Instant occurredAt, long appendTimeMillis) {
        return ChronoUnit.NANOS.between(occurredAt, Instant.ofEpochMilli(appendTimeMillis));
    }
}
