package io.scoreboard.operator.source;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.EventJson;
import io.scoreboard.operator.cli.OperatorException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the event topic between fixed offsets, partition by partition, without a consumer group
 * (nothing is committed to Kafka; the CLI never moves anyone's offsets). A bounded read: the end
 * offsets are taken once, so a command reads a fixed set of records while writers go on.
 */
public final class TopicEvents implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String bootstrap;
    private final String topic;
    private final EventTopicAdmin admin;
    private final KafkaConsumer<String, byte[]> consumer;

    public TopicEvents(String bootstrap, String topic) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.admin = new EventTopicAdmin(bootstrap, topic);
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Only what producers committed; the replicator's producer is idempotent, not transactional,
        // but a transactional writer must never leak aborted events into a rebuild.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
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
        Map<Integer, Long> result = new TreeMap<>();
        consumer.endOffsets(topicPartitions(), TIMEOUT).forEach((tp, o) -> result.put(tp.partition(), o));
        return result;
    }

    /** First offset still in the log of every partition (0 unless retention removed records). */
    public Map<Integer, Long> beginningOffsets() {
        Map<Integer, Long> result = new TreeMap<>();
        consumer.beginningOffsets(topicPartitions(), TIMEOUT).forEach((tp, o) -> result.put(tp.partition(), o));
        return result;
    }

    /**
     * Reads each partition from {@code from} (inclusive) to {@code to} (exclusive), handing every
     * record to {@code sink} in offset order per partition; partitions interleave as Kafka returns them.
     */
    public void read(Map<Integer, Long> from, Map<Integer, Long> to, RecordSink sink) throws Exception {
        Map<TopicPartition, Long> remaining = new HashMap<>();
        for (Map.Entry<Integer, Long> end : to.entrySet()) {
            long start = from.getOrDefault(end.getKey(), 0L);
            if (start < end.getValue()) {
                remaining.put(new TopicPartition(topic, end.getKey()), end.getValue());
            }
        }
        consumer.assign(remaining.keySet());
        for (TopicPartition tp : remaining.keySet()) {
            consumer.seek(tp, from.getOrDefault(tp.partition(), 0L));
        }
        while (!remaining.isEmpty()) {
            ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
            for (TopicPartition tp : records.partitions()) {
                Long end = remaining.get(tp);
                if (end == null) {
                    continue;
                }
                for (ConsumerRecord<String, byte[]> r : records.records(tp)) {
                    if (r.offset() >= end) {
                        break;
                    }
                    sink.accept(tp.partition(), r.offset(), decode(r));
                }
            }
            // Done with a partition once its position passed the end (also across commit markers).
            for (TopicPartition tp : List.copyOf(remaining.keySet())) {
                if (consumer.position(tp, TIMEOUT) >= remaining.get(tp)) {
                    remaining.remove(tp);
                }
            }
            consumer.assign(remaining.keySet());
        }
        consumer.assign(List.of());
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
                    "check --topic / SCOREBOARD_TOPIC; if the topic was deleted, refill it with "
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
