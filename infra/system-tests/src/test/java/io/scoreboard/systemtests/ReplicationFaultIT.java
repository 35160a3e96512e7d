package io.scoreboard.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.ScoreChangedEvent;
import io.scoreboard.infra.localstack.EmbeddedKafka;
import io.scoreboard.infra.localstack.up.ServiceProcess;
import io.scoreboard.testsupport.TestKafka;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Collectors;
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
        // The first write also waits for the topic's first acknowledgement; on a loaded machine that can
        // outlast the short ack timeout this test sets (202 for a create: stored, replicated later): retry
        // with the same key until Kafka has it.
        String key = UUID.randomUUID().toString();
        Http.Response response = null;
        for (int attempt = 0; attempt < 15
                && (response == null || response.status() == 202 || response.status() == 503); attempt++) {
            response = Http.post(system.commandUri("/api/v1/scoreboards"),
                    "{\"name\":\"Faults\",\"participants\":[\"Ann\"]}", "Idempotency-Key", key);
        }
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        JsonNode created = response.json();
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

            TwoStores.assertSameEvents(system, acknowledged);
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
        TwoStores.assertSameEvents(system, new ArrayList<>(acknowledged));
    }

    @Test
    @Order(3)
    void replicatorCrashBetweenSendAndPositionUpdate_duplicatesReachKafka_theReadSideAppliesOnce() throws Exception {
        long last = Http.post(scoreUri(), "{\"delta\":7}", "Authorization", admin).json().get("position").asLong();
        JsonNode before = Http.get(system.queryUri("/api/v1/scoreboards/" + board + "?minPosition=" + last)).json();
        // Earlier faults may already have left duplicates: count copies per event, not records.
        Set<UUID> sentBefore = new HashSet<>();
        TwoStores.readTopic(system).forEach(e -> sentBefore.add(e.eventId()));

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

        List<EventEnvelope> records = TwoStores.readTopic(system);
        Map<UUID, Long> copies = records.stream()
                .collect(Collectors.groupingBy(EventEnvelope::eventId, Collectors.counting()));
        assertThat(sentBefore).as("every event was sent again").allSatisfy(id -> assertThat(copies.get(id)).isGreaterThanOrEqualTo(2));
        long probe = Http.post(scoreUri(), "{\"delta\":0}", "Authorization", admin).json().get("position").asLong();
        JsonNode after = Http.get(system.queryUri("/api/v1/scoreboards/" + board + "?minPosition=" + probe)).json();
        assertThat(after.get("participants")).isEqualTo(before.get("participants"));
        assertThat(after.get("version").asLong()).isEqualTo(before.get("version").asLong() + 1);
        TwoStores.assertSameEvents(system, List.of(last, probe));
    }

    @Test
    @Order(4)
    void twoInstancesWritingTheSameBoard_loseNoUpdate_duplicateNoSequence_replicateOnce() throws Exception {
        ServiceProcess second = system.startAdditionalCommandService("concurrent-instance", List.of());
        try {
            URI[] instances = {scoreUri(), URI.create("http://127.0.0.1:" + system.additionalPort()
                    + "/api/v1/scoreboards/" + board + "/participants/" + participant + "/score-changes")};
            ConcurrentLinkedQueue<Long> acknowledged = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<String> refusals = new ConcurrentLinkedQueue<>();
            List<Thread> writers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                URI target = instances[i % 2];
                Thread writer = new Thread(() -> {
                    for (int n = 0; n < 25; n++) {
                        Http.Response r = Http.post(target, "{\"delta\":1}", "Authorization", admin);
                        if (r.status() == 200) {
                            acknowledged.add(r.json().get("position").asLong());
                        } else {
                            refusals.add(r.status() + " " + r.body());
                        }
                    }
                });
                writer.start();
                writers.add(writer);
            }
            for (Thread writer : writers) {
                writer.join();
            }
            assertThat(refusals).as("writes to one board from two instances are serialised, not refused").isEmpty();
            assertThat(acknowledged).hasSize(100);

            try (Connection c = DriverManager.getConnection(system.databases.eventsJdbcUrl(),
                    system.databases.appRole().user(), system.databases.appRole().password());
                 Statement s = c.createStatement()) {
                var rs = s.executeQuery("SELECT count(*), count(DISTINCT sequence_number), "
                        + "max(sequence_number) - min(sequence_number) + 1 FROM domain_event_entry "
                        + "WHERE aggregate_identifier = '" + board + "'");
                rs.next();
                assertThat(rs.getLong(2)).as("no duplicate sequence number").isEqualTo(rs.getLong(1));
                assertThat(rs.getLong(3)).as("no gap in the board's sequence").isEqualTo(rs.getLong(1));
                rs = s.executeQuery("SELECT count(DISTINCT owner) FROM token_entry WHERE owner IS NOT NULL");
                rs.next();
                assertThat(rs.getLong(1)).as("one replicator holds the claim").isEqualTo(1);
            }
            // No lost update: every stored change starts from the score the previous one left.
            java.math.BigDecimal running = java.math.BigDecimal.ZERO;
            Set<UUID> seen = new HashSet<>();
            for (EventEnvelope e : TwoStores.readTopic(system)) {
                if (e.scoreboardId().toString().equals(board) && seen.add(e.eventId())
                        && e.payload() instanceof ScoreChangedEvent change) {
                    assertThat(change.score()).isEqualByComparingTo(running.add(change.delta()));
                    running = change.score();
                }
            }
            JsonNode read = Http.get(system.queryUri("/api/v1/scoreboards/" + board + "?minPosition="
                    + acknowledged.stream().mapToLong(Long::longValue).max().orElseThrow())).json();
            assertThat(read.get("participants").get(0).get("score").decimalValue()).isEqualByComparingTo(running);
            TwoStores.assertSameEvents(system, new ArrayList<>(acknowledged));
        } finally {
            second.close();
        }
    }

    @Test
    @Order(5)
    void whenTheReplicatingInstanceDies_anotherTakesOver() throws Exception {
        ServiceProcess second = system.startAdditionalCommandService("second-instance", List.of());
        try {
            system.killCommandService(); // the instance holding the replicator's claim
            long started = System.nanoTime();
            URI create = URI.create("http://127.0.0.1:" + system.additionalPort() + "/api/v1/scoreboards");
            int status = 0;
            long deadline = started + Duration.ofSeconds(60).toNanos();
            while (status != 201 && System.nanoTime() < deadline) {
                status = Http.post(create, "{\"name\":\"after takeover\"}").status(); // 503 until the claim is taken
            }
            assertThat(status).as("the surviving instance replicates again").isEqualTo(201);
            long tookOver = Duration.ofNanos(System.nanoTime() - started).toMillis();
            System.out.printf("replicator takeover after a SIGKILL: %d ms%n", tookOver);
            // The dead replicator's presence ended with its process: taken at the next claim check (claim-interval,
            // 1 s), not after claim-timeout (10 s). The bound leaves room for a slow machine, not for the timeout.
            assertThat(tookOver).as("taken over without waiting out the claim timeout").isLessThan(5_000);
            TwoStores.assertSameEvents(system, List.of());
        } finally {
            second.close();
            system.startCommandService();
        }
    }

    @Test
    @Order(6)
    void anEventCommittingAfterLaterOnes_reachesKafkaWithItsOwnPosition() throws Exception {
        // A transaction that takes its position first and commits last: the replicator passes its position as a
        // gap, replicates later writes, then meets the event when it commits. Its record must carry its own
        // position (the replicator looks positions up in batches; a gap-aware token's index would be wrong here).
        UUID lateBoard = UUID.randomUUID();
        EventEnvelope late = EventEnvelope.of(UUID.randomUUID(), 0, 0, java.time.Instant.now(),
                new io.scoreboard.events.ScoreboardCreatedEvent(lateBoard, "Committed late",
                        io.scoreboard.events.ScoreOrder.HIGHEST_FIRST, io.scoreboard.events.Ranking.STANDARD,
                        "admin-token-hash", "scorekeeper-token-hash"));
        long latePosition;
        try (Connection c = DriverManager.getConnection(system.databases.eventsJdbcUrl(),
                system.databases.appRole().user(), system.databases.appRole().password())) {
            c.setAutoCommit(false);
            try (var insert = c.prepareStatement("INSERT INTO domain_event_entry (event_identifier, "
                    + "aggregate_identifier, sequence_number, type, time_stamp, payload_type, payload_revision, payload, "
                    + "meta_data) VALUES (?, ?, 0, 'Scoreboard', ?, ?, ?, ?, ?) RETURNING global_index")) {
                insert.setString(1, late.eventId().toString());
                insert.setString(2, lateBoard.toString());
                insert.setString(3, late.occurredAt().toString());
                insert.setString(4, late.type());
                insert.setString(5, Integer.toString(late.typeVersion()));
                insert.setBytes(6, io.scoreboard.events.EventJson.writePayload(late.payload()));
                insert.setBytes(7, "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                var rs = insert.executeQuery();
                rs.next();
                latePosition = rs.getLong(1);
            }
            List<Long> later = writes(ReplicationFaultIT::scoreUri, 3, 200); // acknowledged by Kafka meanwhile
            assertThat(later).allMatch(position -> position > latePosition);
            c.commit();
        }
        TwoStores.assertSameEvents(system, List.of(latePosition));
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

}
