package io.scoreboard.operator.republish;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scoreboard.operator.Cli;
import io.scoreboard.events.EventEnvelope;
import io.scoreboard.operator.source.TopicEvents;
import io.scoreboard.testsupport.TestDatabases;
import io.scoreboard.testsupport.TestKafka;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Republish against a real PostgreSQL event store and a real Kafka broker. */
class RepublishCommandTest {

    private static final int BOARDS = 6;
    private static final int SCORES_PER_BOARD = 12;
    private static final byte[] REPLICATOR_TOKEN = "{\"index\":42,\"gaps\":[]}".getBytes();

    private static TestDatabases databases;
    private static List<EventEnvelope> stored;

    @BeforeAll
    static void storeWithSeveralBoards() throws Exception {
        databases = TestDatabases.create();
        TestKafka.bootstrapServers(); // starts the broker now, not inside the first test's timing
        StoredHistory.append(databases, BOARDS, SCORES_PER_BOARD);
        stored = StoredHistory.read(databases);
        // The live replicator's token, claimed a moment ago by a command service that is idle.
        try (Connection c = StoredHistory.owner(databases); PreparedStatement p = c.prepareStatement(
                "INSERT INTO token_entry (processor_name, segment, token, token_type, timestamp, owner) "
                        + "VALUES ('kafka-replicator', 0, ?, 'org.axonframework.eventhandling.GapAwareTrackingToken', ?, "
                        + "'4242@command-service')")) {
            p.setBytes(1, REPLICATOR_TOKEN);
            p.setString(2, Instant.now().toString());
            p.executeUpdate();
        }
    }

    @AfterAll
    static void dropDatabases() {
        if (databases != null) {
            databases.close();
        }
    }

    @Test
    void missingTopic_isCreatedAndFilled_everyEventOnce_eachBoardInOrder_replicatorReleased() throws Exception {
        String topic = TestKafka.uniqueTopic("republish");

        Cli.Result run = Cli.run(args(topic, "--confirm", "test", "--json"));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode result = new ObjectMapper().readTree(run.out());
        assertThat(result.get("eventsSent").asLong()).isEqualTo(stored.size());
        assertThat(result.get("boards").asLong()).isEqualTo(BOARDS);
        assertThat(result.get("topicCreated").asBoolean()).isTrue();
        assertThat(result.get("lastPosition").asLong()).isEqualTo(stored.get(stored.size() - 1).position());

        Map<Integer, List<EventEnvelope>> partitions = readTopic(topic);
        List<EventEnvelope> all = new ArrayList<>();
        partitions.values().forEach(all::addAll);
        assertThat(all).as("every stored event exactly once, as stored").containsExactlyInAnyOrderElementsOf(stored);
        Map<UUID, Integer> partitionOfBoard = new HashMap<>();
        partitions.forEach((partition, records) -> {
            Map<UUID, Long> nextSequence = new HashMap<>();
            for (EventEnvelope e : records) {
                assertThat(partitionOfBoard.putIfAbsent(e.scoreboardId(), partition)).as("one partition per board")
                        .isIn(null, partition);
                long expected = nextSequence.getOrDefault(e.scoreboardId(), 0L);
                assertThat(e.sequenceNumber()).as("order of board " + e.scoreboardId()).isEqualTo(expected);
                nextSequence.put(e.scoreboardId(), expected + 1);
            }
        });

        Config config = topicConfig(topic);
        assertThat(config.get("retention.ms").value()).isEqualTo("-1");
        assertThat(config.get("retention.bytes").value()).isEqualTo("-1");
        assertThat(config.get("cleanup.policy").value()).isEqualTo("delete");
        assertThat(partitions).hasSize(3);

        try (Connection c = StoredHistory.owner(databases); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT owner, token FROM token_entry WHERE processor_name = 'kafka-replicator'")) {
            rs.next();
            assertThat(rs.getString(1)).as("claim released: the replicator may take it").isNull();
            assertThat(rs.getBytes(2)).as("the replicator's own position is untouched").isEqualTo(REPLICATOR_TOKEN);
        }
    }

    @Test
    void topicWithRecords_isRefused_unlessAppendingIsAskedFor() throws Exception {
        String topic = TestKafka.uniqueTopic("republish-full");
        assertThat(Cli.run(args(topic, "--confirm", "test")).exitCode()).isZero();

        Cli.Result refused = Cli.run(args(topic, "--confirm", "test"));

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(3);
        assertThat(refused.err()).contains("already holds " + stored.size() + " records. Nothing was sent.")
                .contains("--into-non-empty").contains("delete the topic");
        assertThat(recordCount(topic)).isEqualTo(stored.size());

        Cli.Result appended = Cli.run(args(topic, "--confirm", "test", "--into-non-empty"));

        assertThat(appended.exitCode()).as(appended.toString()).isZero();
        assertThat(recordCount(topic)).isEqualTo(2L * stored.size());
    }

    @Test
    void withoutConfirm_aScriptIsRefused_andNoTopicIsCreated() throws Exception {
        String topic = TestKafka.uniqueTopic("republish-unconfirmed");

        Cli.Result run = Cli.run(args(topic));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.out()).contains("environment  test").contains("topic        " + topic)
                .contains("missing, will be created");
        assertThat(run.err()).contains("add --confirm test");
        assertThat(topicExists(topic)).isFalse();
    }

    @Test
    void wrongEnvironment_isRefused_beforeAnythingIsTouched() throws Exception {
        String topic = TestKafka.uniqueTopic("republish-prod");

        Cli.Result foreign = Cli.run(args(topic, "--environment", "prod", "--confirm", "prod"));
        Cli.Result mismatch = Cli.run(args(topic, "--confirm", "prod"));

        assertThat(foreign.exitCode()).as(foreign.toString()).isEqualTo(3);
        assertThat(foreign.err()).contains("prod").contains("test");
        assertThat(mismatch.exitCode()).as(mismatch.toString()).isEqualTo(3);
        assertThat(mismatch.err()).contains("--confirm prod does not match the target's environment 'test'");
        assertThat(topicExists(topic)).isFalse();
    }

    @Test
    void aReplicatorBatchInProgress_isWaitedFor_beforeTheTopicIsCreated() throws Exception {
        String topic = TestKafka.uniqueTopic("republish-wait");
        String[] args = args(topic, "--confirm", "test");
        try (Connection replicatorBatch = holdReplicatorTokenRow()) {
            CompletableFuture<Cli.Result> republish = CompletableFuture.supplyAsync(() -> Cli.run(args));
            awaitRepublishBlockedOnTheTokenRow();
            Thread.sleep(1000);
            assertThat(republish).as("still waiting for the batch").isNotDone();
            assertThat(topicExists(topic)).as("no topic while a batch could still send into it").isFalse();

            replicatorBatch.commit();
            Cli.Result run = republish.get(60, TimeUnit.SECONDS);

            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.out()).contains("Waiting for the replicator's current batch to end");
            assertThat(recordCount(topic)).isEqualTo(stored.size());
        }
    }

    @Test
    void aReplicatorBatchThatDoesNotEnd_isRefusedAfterTheClaimTimeout_nothingChanged() throws Exception {
        String topic = TestKafka.uniqueTopic("republish-stuck");
        try (Connection replicatorBatch = holdReplicatorTokenRow()) {
            Cli.Result run = Cli.run(args(topic, "--confirm", "test", "--claim-timeout", "3"));

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
            assertThat(run.err()).contains("kept its token locked for 3 s").contains("--claim-timeout");
            assertThat(topicExists(topic)).isFalse();
            replicatorBatch.rollback();
        }
    }

    /** What a replicator batch does first, and holds until its sends are acknowledged or failed. */
    private static Connection holdReplicatorTokenRow() throws Exception {
        Connection c = StoredHistory.owner(databases);
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.executeQuery("SELECT * FROM token_entry WHERE processor_name = 'kafka-replicator' FOR UPDATE").close();
        }
        return c;
    }

    private static void awaitRepublishBlockedOnTheTokenRow() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (Connection observer = StoredHistory.owner(databases); Statement s = observer.createStatement()) {
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                        + "current_database() AND application_name = 'scoreboard-cli' AND wait_event_type = 'Lock'")) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(50);
            }
        }
        throw new AssertionError("republish never waited for the token row");
    }

    private static String[] args(String topic, String... more) {
        List<String> args = new ArrayList<>(List.of("republish",
                "--environment", TestDatabases.ENVIRONMENT,
                "--events-url", databases.eventsJdbcUrl(),
                "--read-url", databases.readJdbcUrl(),
                "--db-user", databases.ownerRole().user(),
                "--db-password", databases.ownerRole().password(),
                "--kafka", TestKafka.bootstrapServers(),
                "--topic", topic));
        int environment = List.of(more).indexOf("--environment");
        if (environment >= 0) {
            args.set(2, more[environment + 1]);
            List<String> rest = new ArrayList<>(List.of(more));
            rest.remove(environment + 1);
            rest.remove(environment);
            args.addAll(rest);
        } else {
            args.addAll(List.of(more));
        }
        return args.toArray(String[]::new);
    }

    private static Map<Integer, List<EventEnvelope>> readTopic(String topic) throws Exception {
        Map<Integer, List<EventEnvelope>> partitions = new HashMap<>();
        try (TopicEvents events = new TopicEvents(TestKafka.bootstrapServers(), topic)) {
            events.partitions().forEach(p -> partitions.put(p, new ArrayList<>()));
            events.read(Map.of(), events.endOffsets(), (partition, offset, e) -> partitions.get(partition).add(e));
        }
        return partitions;
    }

    private static long recordCount(String topic) {
        try (TopicEvents events = new TopicEvents(TestKafka.bootstrapServers(), topic)) {
            return events.endOffsets().values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static boolean topicExists(String topic) {
        try (TopicEvents events = new TopicEvents(TestKafka.bootstrapServers(), topic)) {
            return events.exists();
        }
    }

    private static Config topicConfig(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            return admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
        }
    }
}
