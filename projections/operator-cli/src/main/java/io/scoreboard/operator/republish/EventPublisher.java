package io.scoreboard.operator.republish;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.EventJson;
import io.scoreboard.operator.cli.ExitCode;
import io.scoreboard.operator.cli.OperatorException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends envelopes exactly as the command service's replicator does (key = scoreboard id, value =
 * {@link EventJson#writeEnvelope}), so that a board's events land in the partition the replicator
 * uses, in store order; every acknowledgement is checked.
 */
final class EventPublisher implements AutoCloseable {

    private final Producer<String, byte[]> producer;
    private final String topic;
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();
    private long sent;

    EventPublisher(String bootstrap, String topic) {
        this.topic = topic;
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
                Map.entry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000),
                Map.entry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000),
                Map.entry(ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000),
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
        producer.send(new ProducerRecord<>(topic, event.scoreboardId().toString(), EventJson.writeEnvelope(event)),
                (metadata, exception) -> {
                    if (exception == null) {
                        acknowledged.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                        firstFailure.compareAndSet(null, exception);
                    }
                });
        sent++;
    }

    /** Waits for every acknowledgement; returns how many events Kafka acknowledged. */
    long awaitAcknowledgements() {
        producer.flush();
        throwIfFailed();
        return acknowledged.get();
    }

    private void throwIfFailed() {
        Exception failure = firstFailure.get();
        if (failure != null) {
            producer.flush(); // let the rest settle, so the count below is final
            throw new OperatorException(ExitCode.FAILED, "Kafka did not acknowledge " + failed.get() + " of "
                    + sent + " events sent so far (first: " + failure + "). The topic '" + topic
                    + "' now holds only part of the history, possibly with gaps.",
                    "make sure Kafka is healthy, delete the topic (kafka-topics.sh --delete --topic " + topic
                            + ") and run republish again before anything reads it", failure);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}
