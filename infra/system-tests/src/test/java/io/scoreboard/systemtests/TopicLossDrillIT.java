package io.scoreboard.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.EventJson;
import io.scoreboard.testsupport.TestDatabases;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Disaster drill 3: the Kafka topic is deleted under a running system. Republish refills it from the
 * event store; the query side catches up without applying anything twice, and both stores end up
 * holding the same events.
 */
class TopicLossDrillIT {

    private static final int BOARDS = 3;

    private static RunningSystem system;
    /** participant id → the score every acknowledged or stored change adds up to */
    private final Map<String, BigDecimal> expectedScores = new HashMap<>();
    private final Map<String, Board> boards = new LinkedHashMap<>();
    private final List<Long> stored = new ArrayList<>();

    private record Board(String id, String admin, List<String> participants) {}

    @BeforeAll
    static void start() {
        // A short ack timeout: the write made while the topic is missing answers 503 sooner.
        system = RunningSystem.start("TopicLossDrillIT", List.of("--scoreboard.replication.ack-timeout=2s"));
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void topicDeleted_republished_queriesCatchUpWithoutDoubleApplying_bothStoresAgree() throws Exception {
        for (int b = 0; b < BOARDS; b++) {
            createBoard("Drill board " + b);
        }
        boards.values().forEach(board -> board.participants().forEach(p -> {
            for (int i = 1; i <= 4; i++) {
                assertThat(changeScore(board, p, i).status()).isEqualTo(200);
            }
        }));
        Map<String, JsonNode> before = awaitQueriesShowEveryBoard();
        Map<UUID, EventEnvelope> replicated = new HashMap<>();
        TwoStores.readTopic(system).forEach(e -> replicated.putIfAbsent(e.eventId(), e));
        resendCopiesOfTheFirstEvents(5);

        deleteTopic();
        // Clients keep writing while the topic is gone: stored, not replicated, 503. The replicator is now
        // stuck on this batch, which is the race republish must not lose.
        Board first = boards.values().iterator().next();
        Http.Response pending = changeScore(first, first.participants().get(0), 100);
        assertThat(pending.status()).as(pending.body()).isEqualTo(503);

        OperatorCliProcess.Result republished = OperatorCliProcess.run(system, "republish",
                "--confirm", TestDatabases.ENVIRONMENT);
        assertThat(republished.exitCode()).as(republished.all()).isZero();

        awaitWritesSucceedAgain(first);
        boards.values().forEach(board -> assertThat(changeScore(board, board.participants().get(1), 7).status())
                .isEqualTo(200));

        Map<String, JsonNode> after = awaitQueriesShowEveryBoard();
        after.forEach((id, board) -> assertThat(board.get("version").asLong())
                .as("board " + id + " moved on only by the changes made since").isGreaterThan(
                        before.get(id).get("version").asLong()));
        TwoStores.assertSameEvents(system, stored);
        TwoStores.readTopic(system).stream().filter(e -> replicated.containsKey(e.eventId())).forEach(e ->
                assertThat(e).as("republished exactly as the replicator had published it")
                        .isEqualTo(replicated.get(e.eventId())));
        OperatorCliProcess.assertVerifyAgrees(system);
    }

    private void createBoard(String name) {
        Http.Response created = Http.post(system.commandUri("/api/v1/scoreboards"),
                "{\"name\":\"" + name + "\",\"participants\":[\"Ann\",\"Bob\"]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode body = created.json();
        List<String> participants = new ArrayList<>();
        body.get("participants").forEach(p -> {
            participants.add(p.get("participantId").asText());
            expectedScores.put(p.get("participantId").asText(), BigDecimal.ZERO);
        });
        Board board = new Board(body.get("scoreboardId").asText(), "Bearer " + body.get("adminToken").asText(),
                participants);
        boards.put(board.id(), board);
        stored.add(body.get("position").asLong());
    }

    /** A score change; counted in the expected scores whenever it was stored (200, or 503 with a position). */
    private Http.Response changeScore(Board board, String participant, int delta) {
        Http.Response response = Http.post(system.commandUri("/api/v1/scoreboards/" + board.id() + "/participants/"
                + participant + "/score-changes"), "{\"delta\":" + delta + "}", "Authorization", board.admin());
        if (response.status() == 200 || response.status() == 503) {
            expectedScores.merge(participant, BigDecimal.valueOf(delta), BigDecimal::add);
            stored.add(response.json().get("position").asLong());
        }
        return response;
    }

    /** The replicator resumes a few seconds after republish lets it go; until then writes answer 503. */
    private void awaitWritesSucceedAgain(Board board) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (changeScore(board, board.participants().get(1), 1).status() != 200) {
            assertThat(System.nanoTime()).as("writes succeed again within 60 s of republish").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /** Waits until the query service shows every board at the store's latest position with the expected scores. */
    private Map<String, JsonNode> awaitQueriesShowEveryBoard() throws InterruptedException {
        long minPosition = stored.stream().mapToLong(Long::longValue).max().orElseThrow();
        Map<String, JsonNode> shown = new HashMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        for (Board board : boards.values()) {
            URI uri = system.queryUri("/api/v1/scoreboards/" + board.id() + "?minPosition=" + minPosition);
            Http.Response response = Http.get(uri);
            while (response.status() != 200 && System.nanoTime() < deadline) {
                Thread.sleep(250);
                response = Http.get(uri);
            }
            assertThat(response.status()).as("board " + board.id() + ": " + response.body()).isEqualTo(200);
            JsonNode body = response.json();
            body.get("participants").forEach(p -> assertThat(p.get("score").decimalValue())
                    .as("score of " + p.get("name").asText() + " on board " + board.id() + " (not applied twice)")
                    .isEqualByComparingTo(expectedScores.get(p.get("participantId").asText())));
            shown.put(board.id(), body);
        }
        return shown;
    }

    /**
     * Copies a replicator leaves after a retried batch (ReplicationFaultIT): with them the old topic's offsets
     * run ahead of the same events in the republished one, so a reader that resumed at its old offsets would
     * skip events instead of meeting only duplicates.
     */
    private void resendCopiesOfTheFirstEvents(int count) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, system.bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            for (EventEnvelope e : TwoStores.readTopic(system).subList(0, count)) {
                producer.send(new ProducerRecord<>(system.topic, e.scoreboardId().toString(),
                        EventJson.writeEnvelope(e))).get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static void deleteTopic() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, system.bootstrapServers))) {
            admin.deleteTopics(List.of(system.topic)).all().get(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    admin.describeTopics(Set.of(system.topic)).allTopicNames().get(10, TimeUnit.SECONDS);
                    Thread.sleep(100);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                        return;
                    }
                    throw e;
                }
            }
            throw new AssertionError("topic " + system.topic + " still exists 30 s after its deletion");
        }
    }
}
