package io.scoreboard.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.EventJson;
import io.scoreboard.infra.localstack.EmbeddedKafka;
import io.scoreboard.infra.localstack.up.ServiceProcess;
import io.scoreboard.testsupport.TestKafka;
import java.net.URI;
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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Faults with nothing acknowledged lost: Kafka down under load, the command service killed
 * mid-write, the replicator crashing between the Kafka send and its position update. Each ends
 * by comparing the two stores event by event.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicationFaultIT {

    private static RunningSystem system;
    private static EmbeddedKafka kafka;
    private static String board;
    private static String admin;
    private static String participant;

    @BeforeAll
    static void start() {
        kafka = TestKafka.embedded().orElse(null);
        Assumptions.assumeTrue(kafka != null, "needs the embedded broker, to stop and start it");
        system = RunningSystem.start("ReplicationFaultIT", List.of("--scoreboard.replication.ack-timeout=2s"));
        JsonNode created = Http.post(system.commandUri("/api/v1/scoreboards"),
                "{\"name\":\"Faults\",\"participants\":[\"Ann\"]}").json();
        board = created.get("scoreboardId").asText();
        admin = "Bearer " + created.get("adminToken").asText();
        participant = created.get("participants").get(0).get("participantId").asText();
    }

    @AfterAll
    static void stop() {
        if (kafka != null && !kafka.isRunning()) {
            kafka.restart();
        }
        if (system != null) {
            system.close();
        }
    }

    @Test
    @Order(1)
    void kafkaDown_replicatedAnswers503_localKeepsGoing_nothingLost() throws Exception {
        ServiceProcess localMode = system.startAdditionalCommandService("local-mode",
                List.of("--scoreboard.replication.durability=local"));
        try {
            URI local = URI.create("http://127.0.0.1:" + system.additionalPort() + "/api/v1/scoreboards/" + board
                    + "/participants/" + participant + "/score-changes");
            List<Long> acknowledged = new ArrayList<>();
            acknowledged.addAll(writes(() -> scoreUri(), 5, 200));

            kafka.stop();
            try {
                List<Long> pending = writes(() -> scoreUri(), 2, 503);
                List<Long> localAcknowledged = writes(() -> local, 5, 200);
                JsonNode lagging = Http.get(system.commandUri("/api/v1/ops/replication")).json();
                assertThat(lagging.get("lagEvents").asLong()).as(lagging.toString()).isGreaterThanOrEqualTo(7);
                assertThat(lagging.get("lagMillis").asLong()).isPositive();
                acknowledged.addAll(localAcknowledged);
                assertThat(pending).as("503s still report where the change is stored").allMatch(p -> p > 0);
                acknowledged.addAll(pending); // stored, so they must reach Kafka too
            } finally {
                kafka.restart();
            }
            system.awaitReplicating();
            acknowledged.addAll(writes(() -> scoreUri(), 5, 200));

            assertBothStoresHoldTheSameEvents(acknowledged);
            JsonNode caughtUp = Http.get(system.commandUri("/api/v1/ops/replication")).json();
            assertThat(caughtUp.get("lagEvents").asLong()).as(caughtUp.toString()).isZero();
            assertThat(caughtUp.get("replicatedPosition").asLong()).isEqualTo(caughtUp.get("storePosition").asLong());
            assertThat(caughtUp.get("durability").asText()).isEqualTo("REPLICATED");
        } finally {
            localMode.close();
        }
    }

    @Test
    @Order(2)
    void commandServiceKilledMidWrite_everyAcknowledgedChangeIsInBothStores() throws Exception {
        ConcurrentLinkedQueue<Long> acknowledged = new ConcurrentLinkedQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> writers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Thread writer = new Thread(() -> {
                while (running.get()) {
                    try {
                        Http.Response r = Http.post(scoreUri(), "{\"delta\":1}", "Authorization", admin);
                        if (r.status() == 200) {
                            acknowledged.add(r.json().get("position").asLong());
                        }
                    } catch (RuntimeException connectionRefusedOrReset) {
                        // the service is down: the client got no acknowledgement, nothing to check
                    }
                }
            });
            writer.start();
            writers.add(writer);
        }
        Thread.sleep(1500);
        system.restartCommandService(); // SIGKILL, then start again
        system.awaitReplicating();
        Thread.sleep(1000);
        running.set(false);
        for (Thread writer : writers) {
            writer.join();
        }

        assertThat(acknowledged).isNotEmpty();
        assertBothStoresHoldTheSameEvents(new ArrayList<>(acknowledged));
    }

    @Test
    @Order(3)
    void replicatorCrashBetweenSendAndPositionUpdate_duplicatesReachKafka_theReadSideAppliesOnce() throws Exception {
        long last = Http.post(scoreUri(), "{\"delta\":7}", "Authorization", admin).json().get("position").asLong();
        JsonNode before = Http.get(system.queryUri("/api/v1/scoreboards/" + board + "?minPosition=" + last)).json();
        int recordsBefore = readTopic().size();

        // The state such a crash leaves: events in Kafka, the replicator's position not moved past them.
        // Forgetting the position entirely is the worst case: everything is sent again.
        system.killCommandService();
        try (Connection c = DriverManager.getConnection(system.databases.eventsJdbcUrl(),
                system.databases.ownerRole().user(), system.databases.ownerRole().password());
             Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM token_entry");
        }
        system.startCommandService();
        system.awaitReplicating();

        List<EventEnvelope> records = readTopic();
        assertThat(records.size()).as("every event was sent again").isGreaterThanOrEqualTo(2 * recordsBefore);
        long probe = Http.post(scoreUri(), "{\"delta\":0}", "Authorization", admin).json().get("position").asLong();
        JsonNode after = Http.get(system.queryUri("/api/v1/scoreboards/" + board + "?minPosition=" + probe)).json();
        assertThat(after.get("participants")).isEqualTo(before.get("participants"));
        assertThat(after.get("version").asLong()).isEqualTo(before.get("version").asLong() + 1);
        assertBothStoresHoldTheSameEvents(List.of(last, probe));
    }

    @Test
    @Order(4)
    void whenTheReplicatingInstanceDies_anotherTakesOver() throws Exception {
        ServiceProcess second = system.startAdditionalCommandService("second-instance", List.of());
        try {
            system.killCommandService(); // the instance holding the replicator's claim
            long started = System.nanoTime();
            URI create = URI.create("http://127.0.0.1:" + system.additionalPort() + "/api/v1/scoreboards");
            int status = 0;
            long deadline = started + Duration.ofSeconds(60).toNanos();
            while (status != 201 && System.nanoTime() < deadline) {
                status = Http.post(create, "{\"name\":\"after takeover\"}").status(); // 503 until the claim expires
            }
            assertThat(status).as("the surviving instance replicates again").isEqualTo(201);
            System.out.printf("replicator takeover after a SIGKILL: %d ms%n",
                    Duration.ofNanos(System.nanoTime() - started).toMillis());
            assertBothStoresHoldTheSameEvents(List.of());
        } finally {
            second.close();
            system.startCommandService();
        }
    }

    private static URI scoreUri() {
        return system.commandUri("/api/v1/scoreboards/" + board + "/participants/" + participant + "/score-changes");
    }

    /** Sends {@code count} score changes one after another; each must get {@code status}; returns their positions. */
    private static List<Long> writes(Supplier<URI> uri, int count, int status) {
        List<Long> positions = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Http.Response response = Http.post(uri.get(), "{\"delta\":1}", "Authorization", admin);
            assertThat(response.status()).as(response.body()).isEqualTo(status);
            if (status == 503) {
                assertThat(response.header("Retry-After")).isNotBlank();
            }
            positions.add(response.json().get("position").asLong());
        }
        return positions;
    }

    /**
     * The topic holds every stored event exactly once after de-duplication by event id, each board's
     * events in sequence order, and every acknowledged position is in both stores.
     */
    private static void assertBothStoresHoldTheSameEvents(List<Long> acknowledged) throws SQLException {
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
            inKafka = firstOccurrences(readTopic());
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

    /** Every record of the topic, partition by partition, in offset order. */
    private static List<EventEnvelope> readTopic() {
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
