package io.scoreboard.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.EventJson;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** The check every fault test ends with: the event store and the Kafka topic hold the same events. */
final class TwoStores {

    private TwoStores() {}

    /**
     * The topic holds every stored event exactly once after de-duplication by event id, each board's
     * events in sequence order, and every acknowledged position is in both stores.
     */
    static void assertSameEvents(RunningSystem system, List<Long> acknowledged) throws SQLException {
        Map<UUID, Long> stored = new HashMap<>(); // event id → position
        try (Connection c = DriverManager.getConnection(system.databases.eventsJdbcUrl(),
                system.databases.appRole().user(), system.databases.appRole().password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT event_identifier, global_index FROM domain_event_entry")) {
            while (rs.next()) {
                stored.put(UUID.fromString(rs.getString(1)), rs.getLong(2));
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Map<UUID, EventEnvelope> inKafka;
        do {
            inKafka = firstOccurrences(readTopic(system));
        } while (!inKafka.keySet().containsAll(stored.keySet()) && System.nanoTime() < deadline);

        assertThat(inKafka.keySet()).as("event ids in Kafka after de-duplication").isEqualTo(stored.keySet());
        inKafka.values().forEach(e -> assertThat(e.position()).isEqualTo(stored.get(e.eventId())));
        Set<Long> positionsInKafka = new HashSet<>();
        inKafka.values().forEach(e -> positionsInKafka.add(e.position()));
        assertThat(positionsInKafka).containsAll(acknowledged);
        assertThat(new HashSet<>(stored.values())).containsAll(acknowledged);
    }

    /** De-duplicates by event id, keeping the first copy, and checks each board's order on the way. */
    private static Map<UUID, EventEnvelope> firstOccurrences(List<EventEnvelope> records) {
        Map<UUID, EventEnvelope> first = new LinkedHashMap<>();
        Map<UUID, Long> lastSequence = new HashMap<>();
        for (EventEnvelope e : records) {
            if (first.putIfAbsent(e.eventId(), e) == null) {
                Long previous = lastSequence.put(e.scoreboardId(), e.sequenceNumber());
                assertThat(e.sequenceNumber()).as("order of board " + e.scoreboardId())
                        .isEqualTo(previous == null ? 0 : previous + 1);
            }
        }
        return first;
    }

    /** Every event of the event store, in position order, as the envelopes the replicator publishes. */
    static List<EventEnvelope> readEventStore(RunningSystem system) throws SQLException {
        List<EventEnvelope> events = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(system.databases.eventsJdbcUrl(),
                system.databases.appRole().user(), system.databases.appRole().password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT event_identifier, aggregate_identifier, sequence_number, "
                     + "global_index, time_stamp, payload_type, payload_revision, payload FROM domain_event_entry "
                     + "ORDER BY global_index")) {
            while (rs.next()) {
                String type = rs.getString(6);
                String revision = rs.getString(7);
                events.add(new EventEnvelope(UUID.fromString(rs.getString(1)), UUID.fromString(rs.getString(2)),
                        rs.getLong(3), rs.getLong(4), java.time.Instant.parse(rs.getString(5)), type,
                        revision == null ? 1 : Integer.parseInt(revision),
                        EventJson.readPayload(type, rs.getBytes(8))));
            }
        }
        return events;
    }

    /** Every record of the topic, partition by partition, in offset order. */
    static List<EventEnvelope> readTopic(RunningSystem system) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, system.bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            List<TopicPartition> partitions = consumer.partitionsFor(system.topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<EventEnvelope> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    records.add(EventJson.readEnvelope(r.value()));
                }
            }
            return records;
        }
    }
}
