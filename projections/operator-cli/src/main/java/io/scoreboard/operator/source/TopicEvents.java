package io.scoreboard.operator.source;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.EventJson;
import io.scoreboard.operator.cli.OperatorException;
import io.scoreboard.operator.cli.WaitingOut;
import io.scoreboard.startup.EnvironmentVariables;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the event topic between fixed offsets, partition by partition, without a consumer group
 * (nothing is committed to Kafka; the CLI never moves anyone's offsets). A bounded read: the end
 * offsets are taken once, so a command reads a fixed set of records while writers go on.
 */
public final class TopicEvents implements AutoCloseable {

    /** Polls without a record and without an answer from the broker before it is asked whether it is there. */
    private static final Duration SILENCE = Duration.ofSeconds(10);

    private final String bootstrap;
    private final String topic;
    private final EventTopicAdmin admin;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Duration timeout;
    private final WaitingOut waiting;

    /** Gives up on the first Kafka fault (tests, and callers that wait around it themselves). */
    public TopicEvents(String bootstrap, String topic) {
        this(bootstrap, topic, EventTopicAdmin.TIMEOUT, null);
    }

    /**
     * @param timeout one try's bound for a request to the broker
     * @param waiting waits out Kafka being unreachable (a read then goes on from the record it had
     *                reached), or null to give up at the first fault
     */
    public TopicEvents(String bootstrap, String topic, Duration timeout, WaitingOut waiting) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.timeout = timeout;
        this.waiting = waiting;
        this.admin = new EventTopicAdmin(bootstrap, topic, timeout, waiting);
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Only what producers committed; the replicator's producer is idempotent, not transactional,
        // but a transactional writer must never leak aborted events into a rebuild.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 10_000));
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    public String topic() {
        return topic;
    }

    /** The topic's partitions, or empty when the topic does not exist. */
    public List<Integer> partitions() {
        return admin.partitions();
    }

    /** Kafka's id of the topic's current incarnation (a recreated topic gets a new one); empty when missing. */
    public java.util.Optional<String> topicId() {
        return admin.topicId();
    }

    public boolean exists() {
        return !partitions().isEmpty();
    }

    /** End offset (the next offset to be written) of every partition. */
    public Map<Integer, Long> endOffsets() {
        List<TopicPartition> partitions = topicPartitions();
        return waited("reading the end offsets of topic '" + topic + "'", () -> {
            Map<Integer, Long> result = new TreeMap<>();
            consumer.endOffsets(partitions, timeout).forEach((tp, o) -> result.put(tp.partition(), o));
            return result;
        });
    }

    /** First offset still in the log of every partition (0 unless retention removed records). */
    public Map<Integer, Long> beginningOffsets() {
        List<TopicPartition> partitions = topicPartitions();
        return waited("reading the first offsets of topic '" + topic + "'", () -> {
            Map<Integer, Long> result = new TreeMap<>();
            consumer.beginningOffsets(partitions, timeout).forEach((tp, o) -> result.put(tp.partition(), o));
            return result;
        });
    }

    /**
     * Reads each partition from {@code from} (inclusive) to {@code to} (exclusive), handing every
     * record to {@code sink} in offset order per partition; partitions interleave as Kafka returns them.
     * While Kafka is unreachable the read waits (when this reader waits) and then goes on from the
     * next record of each partition: no record is handed over twice, none skipped. A failure of the
     * sink itself (its database, say) is never retried here: it ends the read.
     */
    public void read(Map<Integer, Long> from, Map<Integer, Long> to, RecordSink sink) throws Exception {
        Map<TopicPartition, Long> remaining = new HashMap<>();
        Map<TopicPartition, Long> next = new HashMap<>();
        for (Map.Entry<Integer, Long> end : to.entrySet()) {
            long start = from.getOrDefault(end.getKey(), 0L);
            if (start < end.getValue()) {
                TopicPartition tp = new TopicPartition(topic, end.getKey());
                remaining.put(tp, end.getValue());
                next.put(tp, start);
            }
        }
        WaitingOut.Attempts attempts = waiting == null ? null
                : waiting.attempts("reading topic '" + topic + "'");
        boolean positioned = false;
        long lastProgress = System.nanoTime();
        while (!remaining.isEmpty()) {
            ConsumerRecords<String, byte[]> records;
            try {
                if (!positioned) {
                    consumer.assign(remaining.keySet());
                    remaining.keySet().forEach(tp -> consumer.seek(tp, next.get(tp)));
                    positioned = true;
                }
                records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty() && System.nanoTime() - lastProgress > SILENCE.toNanos()) {
                    // poll() itself stays silent while the broker is away: ask, so an outage shows and is waited out.
                    consumer.endOffsets(remaining.keySet(), timeout);
                    lastProgress = System.nanoTime();
                }
            } catch (KafkaException e) {
                if (attempts == null) {
                    throw e;
                }
                attempts.failed(e);
                positioned = false; // from the next record of each partition, as handed over
                lastProgress = System.nanoTime();
                continue;
            }
            if (!records.isEmpty()) {
                lastProgress = System.nanoTime();
                if (attempts != null) {
                    attempts.succeeded();
                }
            }
            for (TopicPartition tp : records.partitions()) {
                Long end = remaining.get(tp);
                if (end == null) {
                    continue;
                }
                for (ConsumerRecord<String, byte[]> r : records.records(tp)) {
                    if (r.offset() >= end || r.offset() < next.get(tp)) {
                        continue;
                    }
                    sink.accept(tp.partition(), r.offset(), decode(r));
                    next.put(tp, r.offset() + 1);
                }
            }
            // Done with a partition once its position passed the end (also across commit markers).
            boolean shrunk = false;
            for (TopicPartition tp : List.copyOf(remaining.keySet())) {
                if (next.get(tp) >= remaining.get(tp) || positionReached(tp, remaining.get(tp))) {
                    remaining.remove(tp);
                    shrunk = true;
                }
            }
            if (shrunk) {
                consumer.assign(remaining.keySet());
            }
        }
        consumer.assign(List.of());
    }

    /** Past the end across commit markers; unknown while the broker is away (the next poll finds out). */
    private boolean positionReached(TopicPartition tp, long end) {
        try {
            return consumer.position(tp, timeout) >= end;
        } catch (KafkaException e) {
            return false;
        }
    }

    private <T> T waited(String doing, java.util.concurrent.Callable<T> request) {
        if (waiting == null) {
            return call(request);
        }
        try {
            return waiting.retry(doing, request::call);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T call(java.util.concurrent.Callable<T> request) {
        try {
            return request.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static EventEnvelope decode(ConsumerRecord<String, byte[]> r) {
        String where = r.topic() + "-" + r.partition() + "@" + r.offset();
        if (r.value() == null) {
            throw new UnreadableEventException("record " + where + " has no value (a tombstone): the event topic "
                    + "holds only event envelopes", null);
        }
        EventEnvelope e;
        try {
            e = EventJson.readEnvelope(r.value());
        } catch (RuntimeException ex) {
            throw new UnreadableEventException("record " + where + " is not a readable event envelope: "
                    + ex.getMessage(), ex);
        }
        if (!e.scoreboardId().toString().equals(r.key())) {
            throw new UnreadableEventException("record " + where + " has key '" + r.key() + "' but holds event "
                    + e.eventId() + " of scoreboard " + e.scoreboardId(), null);
        }
        return e;
    }

    private List<TopicPartition> topicPartitions() {
        List<Integer> partitions = partitions();
        if (partitions.isEmpty()) {
            throw OperatorException.refused("the topic '" + topic + "' does not exist on " + bootstrap,
                    "check --topic / " + EnvironmentVariables.TOPIC + "; if the topic was deleted, refill it with "
                            + "'./scoreboard republish'");
        }
        List<TopicPartition> result = new ArrayList<>();
        partitions.forEach(p -> result.add(new TopicPartition(topic, p)));
        return result;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
        admin.close();
    }

    @FunctionalInterface
    public interface RecordSink {
        void accept(int partition, long offset, EventEnvelope event) throws Exception;
    }
}
