package io.scoreboard.operator.republish;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.EventJson;
import io.scoreboard.operator.cli.ExitCode;
import io.scoreboard.operator.cli.OperatorException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends envelopes exactly as the command service's replicator does (key = scoreboard id, value =
 * {@link EventJson#writeEnvelope}), so that a board's events land in the partition the replicator
 * uses, in store order; every acknowledgement is checked. It also knows how far the history is
 * confirmed: the highest position up to which Kafka acknowledged every event sent, and whether a
 * failure left a hole behind an acknowledged event in some partition (then going on would put a
 * board's later events before its earlier ones).
 */
final class EventPublisher implements AutoCloseable {

    private final Producer<String, byte[]> producer;
    private final String topic;
    private final Object lock = new Object();
    /** By send index: acknowledged. One bit per event sent (10 million events: 1.2 MB). */
    private final BitSet acknowledgedSends = new BitSet();
    /** Positions of the sends from {@link #firstUnconfirmed} on, in send order. */
    private final ArrayDeque<Long> unconfirmedPositions = new ArrayDeque<>();
    private final Map<Integer, Long> lastAcknowledgedByPartition = new HashMap<>();
    private final Map<Integer, Long> firstFailedByPartition = new HashMap<>();
    private long firstFailedWithoutPartition = Long.MAX_VALUE;
    private long firstUnconfirmed;
    private long confirmedPosition;
    private long acknowledged;
    private long failed;
    private Exception firstFailure;
    private long sent;

    /** @param confirmedPosition the position up to which the history is in Kafka already (0: none) */
    EventPublisher(String bootstrap, String topic, long confirmedPosition) {
        this.topic = topic;
        this.confirmedPosition = confirmedPosition;
        this.producer = new KafkaProducer<>(Map.ofEntries(
                Map.entry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                Map.entry(ProducerConfig.CLIENT_ID_CONFIG, "scoreboard-republish"),
                // Durability: every in-sync replica has a record before it counts as sent.
                Map.entry(ProducerConfig.ACKS_CONFIG, "all"),
                // Order within a partition, and no duplicates from the producer's own retries.
                Map.entry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                Map.entry(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5),
                Map.entry(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE),
                // The key picks the partition (murmur2, as in the replicator): a board's events stay together.
                Map.entry(ProducerConfig.PARTITIONER_IGNORE_KEYS_CONFIG, false),
                // A broker that stays away fails the sends within half a minute; the command then waits it
                // out in steps the operator sees (--wait) and goes on from the confirmed position.
                Map.entry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000),
                Map.entry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000),
                Map.entry(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000),
                // Throughput, not latency: nobody waits for a single record here.
                Map.entry(ProducerConfig.LINGER_MS_CONFIG, 20),
                Map.entry(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024),
                Map.entry(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024),
                Map.entry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
                Map.entry(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class),
                Map.entry(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class)));
    }

    /** Hands one event to the producer; stops at the first failed acknowledgement (order would break after it). */
    void send(EventEnvelope event) {
        throwIfFailed();
        long index;
        synchronized (lock) {
            index = sent++;
            unconfirmedPositions.addLast(event.position());
        }
        producer.send(new ProducerRecord<>(topic, event.scoreboardId().toString(), EventJson.writeEnvelope(event)),
                (metadata, exception) -> settled(index, metadata, exception));
    }

    private void settled(long index, RecordMetadata metadata, Exception exception) {
        synchronized (lock) {
            boolean knownPartition = metadata != null && metadata.partition() >= 0;
            if (exception == null) {
                acknowledged++;
                acknowledgedSends.set((int) index);
                if (knownPartition) {
                    lastAcknowledgedByPartition.merge(metadata.partition(), index, Math::max);
                }
                while (firstUnconfirmed < sent && acknowledgedSends.get((int) firstUnconfirmed)) {
                    confirmedPosition = unconfirmedPositions.removeFirst();
                    firstUnconfirmed++;
                }
            } else {
                failed++;
                if (firstFailure == null) {
                    firstFailure = exception;
                }
                if (knownPartition) {
                    firstFailedByPartition.merge(metadata.partition(), index, Math::min);
                } else {
                    firstFailedWithoutPartition = Math.min(firstFailedWithoutPartition, index);
                }
            }
        }
    }

    /** Waits for every acknowledgement; returns how many events Kafka acknowledged. */
    long awaitAcknowledgements() {
        producer.flush();
        throwIfFailed();
        synchronized (lock) {
            return acknowledged;
        }
    }

    /** Events Kafka acknowledged so far. */
    long acknowledged() {
        synchronized (lock) {
            return acknowledged;
        }
    }

    /**
     * After a failure: lets every send settle, then the position up to which every event is in Kafka,
     * each board's in order, so that sending again from there leaves no board with a hole (copies of
     * what was acknowledged beyond it follow their originals, and every consumer skips them).
     *
     * @throws OperatorException when an event was acknowledged after one of its partition failed:
     *                           the topic has a hole no resume can mend
     */
    long confirmedPosition() {
        producer.flush();
        synchronized (lock) {
            for (Map.Entry<Integer, Long> failure : firstFailedByPartition.entrySet()) {
                Long lastAcknowledged = lastAcknowledgedByPartition.get(failure.getKey());
                if (lastAcknowledged != null && lastAcknowledged > failure.getValue()) {
                    throw holes("partition " + failure.getKey() + " holds events sent after one that failed");
                }
            }
            long lastAnywhere = lastAcknowledgedByPartition.values().stream().mapToLong(Long::longValue).max().orElse(-1);
            if (lastAnywhere > firstFailedWithoutPartition) {
                throw holes("an event failed before Kafka chose its partition, and later ones were acknowledged");
            }
            return confirmedPosition;
        }
    }

    private OperatorException holes(String why) {
        return new OperatorException(ExitCode.FAILED, "Kafka acknowledged events after others it failed (" + why
                + "; first failure: " + firstFailure + "). The topic '" + topic + "' now holds part of the history "
                + "with holes, which a resume cannot mend.", "make sure Kafka is healthy, delete the topic "
                + "(kafka-topics.sh --delete --topic " + topic + ") and run republish again before anything reads it",
                firstFailure);
    }

    private void throwIfFailed() {
        Exception failure;
        synchronized (lock) {
            failure = firstFailure;
        }
        if (failure != null) {
            throw new SendFailed(failure);
        }
    }

    /** Kafka did not acknowledge an event; the cause says whether that passes (the caller resumes) or not. */
    static final class SendFailed extends RuntimeException {
        SendFailed(Exception cause) {
            super("Kafka did not acknowledge an event: " + cause, cause);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}
