package io.scoreboard.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.EventJson;
import io.scoreboard.events.ParticipantAddedEvent;
import io.scoreboard.events.ScoreChangedEvent;
import io.scoreboard.events.ScoreboardCreatedEvent;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The walking skeleton end to end: real PostgreSQL, a real Kafka broker and both services as
 * processes. Create a board, change a score, read it back through Kafka and the read model.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WalkingSkeletonIT {

    private static RunningSystem system;
    private static JsonNode created;
    private static long scorePosition;

    @BeforeAll
    static void start() {
        system = RunningSystem.start("WalkingSkeletonIT");
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    @Order(1)
    void createScoreAndReadYourWrite() {
        Http.Response create = Http.post(system.commandUri("/api/v1/scoreboards"),
                "{\"name\":\"Quiz night\",\"participants\":[\"Ann\",\"Bob\"]}");
        assertThat(create.status()).as(create.body()).isEqualTo(201);
        created = create.json();
        String boardId = created.get("scoreboardId").asText();
        assertThat(create.header("Location")).isEqualTo("/api/v1/scoreboards/" + boardId);
        assertThat(created.get("adminToken").asText()).startsWith("sba_");
        assertThat(created.get("scorekeeperToken").asText()).startsWith("sbs_");
        assertThat(created.get("participants")).hasSize(2);
        assertThat(created.get("version").asLong()).isEqualTo(2);
        assertThat(created.get("position").asLong()).isPositive();

        String bob = participantId("Bob");
        Http.Response score = Http.post(
                system.commandUri("/api/v1/scoreboards/" + boardId + "/participants/" + bob + "/score-changes"),
                "{\"delta\": 5.25, \"reason\": \"round 1\"}",
                "Authorization", "Bearer " + created.get("adminToken").asText());
        assertThat(score.status()).as(score.body()).isEqualTo(200);
        assertThat(score.json().get("score").decimalValue()).isEqualByComparingTo("5.25");
        assertThat(score.json().get("version").asLong()).isEqualTo(3);
        scorePosition = score.json().get("position").asLong();
        assertThat(scorePosition).isGreaterThan(created.get("position").asLong());

        Http.Response read = Http.get(system.queryUri("/api/v1/scoreboards/" + boardId + "?minPosition=" + scorePosition));
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        assertThat(Long.parseLong(read.header("X-Projection-Position"))).isGreaterThanOrEqualTo(scorePosition);
        JsonNode board = read.json();
        assertThat(board.get("scoreboardId").asText()).isEqualTo(boardId);
        assertThat(board.get("name").asText()).isEqualTo("Quiz night");
        assertThat(board.get("scoreOrder").asText()).isEqualTo("HIGHEST_FIRST");
        assertThat(board.get("deleted").asBoolean()).isFalse();
        assertThat(board.get("version").asLong()).isEqualTo(3);
        JsonNode participants = board.get("participants");
        assertThat(participants).hasSize(2);
        assertThat(participants.get(0).get("name").asText()).isEqualTo("Bob");
        assertThat(participants.get(0).get("score").decimalValue()).isEqualByComparingTo("5.25");
        assertThat(participants.get(0).get("rank").asInt()).isEqualTo(1);
        assertThat(participants.get(1).get("name").asText()).isEqualTo("Ann");
        assertThat(participants.get(1).get("score").decimalValue()).isEqualByComparingTo("0");
        assertThat(participants.get(1).get("rank").asInt()).isEqualTo(2);
    }

    @Test
    @Order(2)
    void everyEventIsInKafkaWithTheFullEnvelope() {
        String boardId = created.get("scoreboardId").asText();
        List<ConsumerRecord<String, byte[]>> records = readTopic(boardId, 4);

        assertThat(records).allSatisfy(r -> assertThat(r.key()).isEqualTo(boardId));
        List<EventEnvelope> envelopes = records.stream().map(r -> EventJson.readEnvelope(r.value())).toList();
        assertThat(envelopes).extracting(EventEnvelope::sequenceNumber).containsExactly(0L, 1L, 2L, 3L);
        assertThat(envelopes).extracting(EventEnvelope::type)
                .containsExactly("ScoreboardCreated", "ParticipantAdded", "ParticipantAdded", "ScoreChanged");
        assertThat(envelopes).allSatisfy(e -> {
            assertThat(e.scoreboardId()).isEqualTo(UUID.fromString(boardId));
            assertThat(e.typeVersion()).isEqualTo(1);
            assertThat(e.occurredAt()).isBefore(Instant.now().plusSeconds(1));
        });
        assertThat(envelopes).extracting(EventEnvelope::position).isSorted().doesNotHaveDuplicates();
        assertThat(envelopes.get(3).position()).isEqualTo(scorePosition);
        assertThat(envelopes).extracting(EventEnvelope::eventId).doesNotHaveDuplicates();
        assertThat(envelopes.get(0).payload()).isInstanceOf(ScoreboardCreatedEvent.class);
        assertThat(envelopes.get(1).payload()).isInstanceOf(ParticipantAddedEvent.class);
        ScoreChangedEvent change = (ScoreChangedEvent) envelopes.get(3).payload();
        assertThat(change.delta()).isEqualByComparingTo(new BigDecimal("5.25"));
        assertThat(change.reason()).isEqualTo("round 1");

        // The raw JSON carries every field the envelope contract names, under these names.
        JsonNode raw = readJson(records.get(3).value());
        assertThat(raw.fieldNames()).toIterable().containsExactlyInAnyOrder("eventId", "scoreboardId",
                "sequenceNumber", "position", "occurredAt", "type", "typeVersion", "payload");
        // No secret travels: only the token hashes are in the creation event.
        String createdJson = new String(records.get(0).value(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(createdJson).doesNotContain(created.get("adminToken").asText())
                .doesNotContain(created.get("scorekeeperToken").asText());
    }

    @Test
    @Order(3)
    void badInputIsAProblemAndAppendsNothing() throws SQLException {
        long before = storedEvents();
        String boardId = created.get("scoreboardId").asText();
        String admin = "Bearer " + created.get("adminToken").asText();
        String bob = participantId("Bob");

        assertProblem(Http.post(system.commandUri("/api/v1/scoreboards"), "{\"name\": \"unclosed"), 400);
        assertProblem(Http.post(system.commandUri("/api/v1/scoreboards"), "{\"participants\":[\"Ann\"]}"), 422);
        assertProblem(Http.post(system.commandUri("/api/v1/scoreboards"), "{\"name\":\"x\",\"scoreOrder\":\"UP\"}"), 400);
        assertProblem(Http.post(system.commandUri("/api/v1/scoreboards"), "{\"name\":\"x\",\"surprise\":1}"), 400);
        assertProblem(Http.post(system.commandUri("/api/v1/scoreboards/" + UUID.randomUUID() + "/participants/" + bob
                + "/score-changes"), "{\"delta\":1}", "Authorization", admin), 404);
        assertProblem(Http.post(system.commandUri("/api/v1/scoreboards/not-a-uuid/participants/" + bob
                + "/score-changes"), "{\"delta\":1}", "Authorization", admin), 400);
        String scoreUrl = "/api/v1/scoreboards/" + boardId + "/participants/" + bob + "/score-changes";
        assertProblem(Http.post(system.commandUri(scoreUrl), "{\"delta\":1}"), 401);
        assertProblem(Http.post(system.commandUri(scoreUrl), "{\"delta\":1}", "Authorization", "Bearer nope"), 403);
        assertProblem(Http.post(system.commandUri(scoreUrl), "{\"delta\":\"lots\"}", "Authorization", admin), 400);
        assertProblem(Http.post(system.commandUri(scoreUrl), "{\"delta\":1e15}", "Authorization", admin), 422);
        assertProblem(Http.post(system.commandUri(scoreUrl), "{}", "Authorization", admin), 422);
        assertProblem(Http.get(system.queryUri("/api/v1/scoreboards/" + UUID.randomUUID())), 404);
        assertProblem(Http.get(system.queryUri("/api/v1/scoreboards/not-a-uuid")), 400);

        assertThat(storedEvents()).isEqualTo(before);
    }

    @Test
    @Order(4)
    void drill_readDatabaseDroppedAndRebuiltFromTheTopic() {
        String boardId = created.get("scoreboardId").asText();
        JsonNode before = Http.get(system.queryUri("/api/v1/scoreboards/" + boardId + "?minPosition=" + scorePosition)).json();

        system.stopQueryService();
        system.databases.recreateReadDatabase();
        system.startQueryService();

        Http.Response after = Http.get(system.queryUri("/api/v1/scoreboards/" + boardId + "?minPosition=" + scorePosition));
        assertThat(after.status()).as(after.body()).isEqualTo(200);
        assertThat(after.json()).isEqualTo(before);
    }

    private static void assertProblem(Http.Response response, int status) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("detail").asText()).isNotBlank();
    }

    private static String participantId(String name) {
        for (JsonNode p : created.get("participants")) {
            if (p.get("name").asText().equals(name)) {
                return p.get("participantId").asText();
            }
        }
        throw new AssertionError("no participant " + name + " in " + created);
    }

    private static long storedEvents() throws SQLException {
        try (Connection c = DriverManager.getConnection(system.databases.eventsJdbcUrl(),
                system.databases.appRole().user(), system.databases.appRole().password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM domain_event_entry")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<ConsumerRecord<String, byte[]>> readTopic(String key, int expected) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, system.bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            consumer.subscribe(List.of(system.topic));
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.key().equals(key)) {
                        records.add(r);
                    }
                }
            }
            assertThat(records).as("records of board " + key + " in " + system.topic).hasSize(expected);
            return records;
        }
    }

    private static JsonNode readJson(byte[] bytes) {
        try {
            return Http.JSON.readTree(bytes);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
