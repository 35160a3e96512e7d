package io.scoreboard.operator.restore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scoreboard.operator.Cli;
import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.EventJson;
import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.infra.database.DatabaseBootstrap;
import io.scoreboard.operator.cli.ExitCode;
import io.scoreboard.operator.source.StoredEvents;
import io.scoreboard.projections.BoardEvents;
import io.scoreboard.testsupport.TestDatabases;
import io.scoreboard.testsupport.TestKafka;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * restore-event-store --from kafka through the CLI, against a real PostgreSQL event store (migrated
 * by DatabaseBootstrap) and a real Kafka topic. Every refusal leaves the store exactly as it was.
 */
class RestoreEventStoreTest {

    private static TestDatabases databases;

    @BeforeAll
    static void createDatabases() {
        databases = TestDatabases.create();
    }

    @AfterAll
    static void dropDatabases() {
        if (databases != null) {
            databases.close();
        }
    }

    @BeforeEach
    void emptyEventStore() {
        databases.recreateEventsDatabase();
    }

    @Test
    void restoresEachEventOnce_withTheColumnsTheCommandServiceWrites_andTheReplicatorGoesOnAfterThem() throws Exception {
        List<EventEnvelope> history = history();
        List<EventEnvelope> withDuplicates = new ArrayList<>(history);
        withDuplicates.addAll(history.subList(0, 7));      // a replicator batch sent again after a crash
        withDuplicates.addAll(history.subList(20, 24));
        withDuplicates.add(history.get(3));
        EventTopic topic = EventTopic.create(3);
        topic.send(withDuplicates);

        Cli.Result run = Cli.run(args(topic, "--confirm", TestDatabases.ENVIRONMENT, "--json"));

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK.status());
        JsonNode result = new ObjectMapper().readTree(run.out());
        assertThat(result.get("eventsRestored").asLong()).isEqualTo(history.size());
        assertThat(result.get("duplicatesSkipped").asLong()).isEqualTo(12);
        assertThat(result.get("boards").asLong()).isEqualTo(3);
        long lastPosition = history.stream().mapToLong(EventEnvelope::position).max().orElseThrow();
        assertThat(result.get("lastPosition").asLong()).isEqualTo(lastPosition);
        assertThat(run.err()).contains("About to refill the event store " + databases.eventsDatabase())
                .contains("in environment 'test'").contains("Idempotency-Key records");

        assertRowsAsTheCommandServiceWritesThem(history);
        assertThat(storedEnvelopes()).isEqualTo(sortedByPosition(history));
        try (Connection c = owner(); Statement s = c.createStatement()) {
            ResultSet seq = s.executeQuery("SELECT last_value, is_called FROM domain_event_entry_global_index_seq");
            seq.next();
            assertThat(seq.getLong(1)).as("next position is above the restored ones").isEqualTo(lastPosition);
            assertThat(seq.getBoolean(2)).isTrue();
            ResultSet token = s.executeQuery("SELECT processor_name, segment, token, token_type, timestamp, owner "
                    + "FROM token_entry");
            assertThat(token.next()).isTrue();
            assertThat(token.getString(1)).isEqualTo("kafka-replicator");
            assertThat(token.getInt(2)).isZero();
            Object axonToken = new JacksonSerializer.Builder().build().deserialize(
                    new SimpleSerializedObject<>(token.getBytes(3), byte[].class, token.getString(4), null));
            assertThat(axonToken).isEqualTo(GapAwareTrackingToken.newInstance(lastPosition, List.of()));
            assertThat(DateTimeUtils.parseInstant(token.getString(5))).isBefore(Instant.now().plusSeconds(1));
            assertThat(token.getString(6)).as("unclaimed: the next command service takes it").isNull();
            assertThat(token.next()).isFalse();
        }
    }

    @Test
    void refuses_aStoreThatHoldsAnEvent_andChangesNothing() throws Exception {
        EventTopic topic = EventTopic.create(1);
        topic.send(history());
        try (Connection c = owner(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, "
                    + "type, time_stamp, payload_type, payload) VALUES ('" + UUID.randomUUID() + "', 'b', 0, "
                    + "'Scoreboard', '2025-01-01T00:00:00.000Z', 'ScoreboardRenamed', '\\x7b7d')");
        }

        Cli.Result run = Cli.run(args(topic, "--confirm", TestDatabases.ENVIRONMENT));

        assertThat(run.exitCode()).isEqualTo(ExitCode.REFUSED.status());
        assertThat(run.err()).contains("is not empty: it holds 1 event(s) and 0 snapshot(s)").contains("fix:");
        assertThat(eventCount()).isEqualTo(1);
        assertThat(tokenRows()).isZero();
    }

    @Test
    void refuses_aStoreOfAnotherEnvironment() throws Exception {
        EventTopic topic = EventTopic.create(1);
        topic.send(history());

        Cli.Result run = Cli.run(withEnvironment(args(topic, "--confirm", "prod"), "prod"));

        assertThat(run.exitCode()).isEqualTo(ExitCode.REFUSED.status());
        assertThat(run.err()).contains("belongs to environment 'test'").contains("configured for 'prod'");
        assertThat(eventCount()).isZero();
    }

    @Test
    void refuses_withoutConfirm_whenNoOneCanAnswer_andOnAWrongConfirm() throws Exception {
        EventTopic topic = EventTopic.create(1);
        topic.send(history());

        Cli.Result unconfirmed = Cli.run(args(topic));
        Cli.Result mistyped = Cli.run(args(topic, "--confirm", "prod"));

        assertThat(unconfirmed.exitCode()).isEqualTo(ExitCode.REFUSED.status());
        assertThat(unconfirmed.out()).contains("About to refill the event store " + databases.eventsDatabase());
        assertThat(unconfirmed.err()).contains("add --confirm test");
        assertThat(mistyped.exitCode()).isEqualTo(ExitCode.REFUSED.status());
        assertThat(mistyped.err()).contains("--confirm prod does not match");
        assertThat(eventCount()).isZero();
        assertThat(tokenRows()).isZero();
    }

    @Test
    void refuses_aTopicWithAHoleInABoardsHistory_andWritesNothing() throws Exception {
        List<EventEnvelope> history = new ArrayList<>(history());
        EventEnvelope lost = history.remove(5);
        EventTopic topic = EventTopic.create(2);
        topic.send(history);

        Cli.Result run = Cli.run(args(topic, "--confirm", TestDatabases.ENVIRONMENT));

        assertThat(run.exitCode()).isEqualTo(ExitCode.REFUSED.status());
        assertThat(run.err()).contains("the topic is missing events: 1 hole(s)")
                .contains("board " + lost.scoreboardId() + " lacks sequence number " + lost.sequenceNumber())
                .contains("Nothing was written");
        assertThat(eventCount()).isZero();
        assertThat(tokenRows()).isZero();
    }

    @Test
    void refuses_twoDifferentEventsWithOneSequenceNumber() throws Exception {
        List<EventEnvelope> history = history();
        EventEnvelope original = history.get(4);
        EventEnvelope rival = new EventEnvelope(UUID.randomUUID(), original.scoreboardId(), original.sequenceNumber(),
                original.position() + 100_000, original.occurredAt(), original.type(), original.typeVersion(),
                original.payload());
        List<EventEnvelope> contradicting = new ArrayList<>(history);
        contradicting.add(rival);
        EventTopic topic = EventTopic.create(1);
        topic.send(contradicting);

        Cli.Result run = Cli.run(args(topic, "--confirm", TestDatabases.ENVIRONMENT));

        assertThat(run.exitCode()).isEqualTo(ExitCode.REFUSED.status());
        assertThat(run.err()).contains("two different events in the topic claim the same place")
                .contains(original.scoreboardId().toString());
        assertThat(eventCount()).isZero();
    }

    @Test
    void refuses_aSecondCopyOfAnEventThatDiffersFromTheFirst() throws Exception {
        List<EventEnvelope> history = history();
        EventEnvelope original = history.get(2);
        EventEnvelope altered = new EventEnvelope(original.eventId(), original.scoreboardId(),
                original.sequenceNumber(), original.position(), original.occurredAt().plusSeconds(1), original.type(),
                original.typeVersion(), original.payload());
        List<EventEnvelope> withAlteredCopy = new ArrayList<>(history);
        withAlteredCopy.add(altered);
        EventTopic topic = EventTopic.create(1);
        topic.send(withAlteredCopy);

        Cli.Result run = Cli.run(args(topic, "--confirm", TestDatabases.ENVIRONMENT));

        assertThat(run.exitCode()).isEqualTo(ExitCode.REFUSED.status());
        assertThat(run.err()).contains("is a second copy of event " + original.eventId())
                .contains("differs from the first copy");
        assertThat(eventCount()).isZero();
        assertThat(tokenRows()).isZero();
    }

    @Test
    void refuses_whileACommandServiceHoldsTheReplicatorsClaim_butNotAfterTheClaimExpired() throws Exception {
        EventTopic topic = EventTopic.create(1);
        topic.send(history());
        claimReplicator(Instant.now());

        Cli.Result whileClaimed = Cli.run(args(topic, "--confirm", TestDatabases.ENVIRONMENT));

        assertThat(whileClaimed.exitCode()).isEqualTo(ExitCode.REFUSED.status());
        assertThat(whileClaimed.err()).contains("'4242@crashed-host' holds the replicator's claim")
                .contains("stop the command service(s) first");
        assertThat(eventCount()).isZero();

        claimReplicator(Instant.now().minusSeconds(11)); // the owner died; Axon lets anyone take it now
        Cli.Result afterExpiry = Cli.run(args(topic, "--confirm", TestDatabases.ENVIRONMENT));

        assertThat(afterExpiry.exitCode()).as(afterExpiry.err()).isEqualTo(ExitCode.OK.status());
        assertThat(eventCount()).isEqualTo(history().size());
    }

    @Test
    void refuses_theServicesRole_whichMayAppendButNotRestore() throws Exception {
        EventTopic topic = EventTopic.create(1);
        topic.send(history());

        Cli.Result run = Cli.run(replace(replace(args(topic, "--confirm", TestDatabases.ENVIRONMENT), "--db-user",
                databases.appRole().user()), "--db-password", databases.appRole().password()));

        assertThat(run.exitCode()).isEqualTo(ExitCode.REFUSED.status());
        assertThat(run.err()).contains("role scoreboard_app may not restore").contains("--db-user scoreboard_owner");
        assertThat(eventCount()).isZero();
    }

    @Test
    void refuses_aMissingOrEmptyTopic() throws Exception {
        EventTopic empty = EventTopic.create(2);

        Cli.Result missing = Cli.run(args("no-such-topic-" + UUID.randomUUID(), "--confirm", TestDatabases.ENVIRONMENT));
        Cli.Result nothing = Cli.run(args(empty, "--confirm", TestDatabases.ENVIRONMENT));

        assertThat(missing.exitCode()).isEqualTo(ExitCode.REFUSED.status());
        assertThat(missing.err()).contains("does not exist").contains("nothing to restore from");
        assertThat(nothing.exitCode()).isEqualTo(ExitCode.REFUSED.status());
        assertThat(nothing.err()).contains("is empty");
    }

    @Test
    void refuses_aDatabaseThatWasCreatedButNotMigrated() throws Exception {
        String name = "sbt_restore_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        DatabaseBootstrap bootstrap = new DatabaseBootstrap(databases.server(), databases.roles(),
                TestDatabases.ENVIRONMENT);
        bootstrap.ensureDatabase(name);
        try {
            bootstrap.claimEnvironment(name); // stamped, but no migration ran
            EventTopic topic = EventTopic.create(1);
            topic.send(history());

            Cli.Result run = Cli.run(withEventsUrl(args(topic, "--confirm", TestDatabases.ENVIRONMENT),
                    databases.server().jdbcUrl(name)));

            assertThat(run.exitCode()).isEqualTo(ExitCode.REFUSED.status());
            assertThat(run.err()).contains("has no domain_event_entry, snapshot_event_entry, token_entry")
                    .contains("create and migrate it first");
        } finally {
            try (Connection c = DriverManager.getConnection(databases.server().jdbcUrl("postgres"),
                    databases.server().superuser(), databases.server().superuserPassword());
                 Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        }
    }

    @Test
    void anySourceButKafka_isAUsageError() {
        Cli.Result run = Cli.run("restore-event-store", "--from", "store", "--confirm", "test");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE.status());
        assertThat(run.err()).contains("can only be restored from the Kafka topic (--from kafka)");
    }

    /**
     * Three boards, every event type, positions with gaps, time stamps in milliseconds as the
     * replicator sends them (it reads them back from the store, where Axon keeps milliseconds).
     */
    static List<EventEnvelope> history() {
        List<EventEnvelope> events = new ArrayList<>();
        for (int board = 0; board < 3; board++) {
            BoardEvents b = new BoardEvents();
            events.add(b.created("Board " + board + " – ü", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD));
            events.add(b.added("Ann"));
            events.add(b.added("Bob"));
            // Canonical decimals, as the command service writes them (Scores.canonical): the envelope
            // carries the payload as a JSON tree, which would turn a 0.0000 into 0.
            events.add(b.scoreSet("Ann", "5.2525"));
            events.add(b.round("Round 1", "Ann=7", "Bob=-3"));
            events.add(b.undo());
            events.add(b.participantRenamed("Bob", "Robert"));
            events.add(b.rulesChanged(ScoreOrder.LOWEST_FIRST, Ranking.DENSE));
            events.add(b.renamed("Renamed \"quoted\" \\ board"));
            events.add(b.deleted());
            events.add(b.restored());
            events.add(b.removed("Robert"));
        }
        long[] nanos = {0, 120_000_000, 7_000_000, 1_000_000, 999_000_000};
        List<EventEnvelope> varied = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            EventEnvelope e = events.get(i);
            varied.add(new EventEnvelope(e.eventId(), e.scoreboardId(), e.sequenceNumber(), e.position() + i * 3L,
                    e.occurredAt().plusNanos(nanos[i % nanos.length]), e.type(), e.typeVersion(), e.payload()));
        }
        return varied;
    }

    private static void assertRowsAsTheCommandServiceWritesThem(List<EventEnvelope> history) throws SQLException {
        List<EventEnvelope> expected = sortedByPosition(history);
        try (Connection c = owner(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT global_index, event_identifier, aggregate_identifier, "
                     + "sequence_number, type, time_stamp, payload_type, payload_revision, payload, meta_data "
                     + "FROM domain_event_entry ORDER BY global_index")) {
            for (EventEnvelope e : expected) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(e.position());
                assertThat(rs.getString(2)).isEqualTo(e.eventId().toString());
                assertThat(rs.getString(3)).isEqualTo(e.scoreboardId().toString());
                assertThat(rs.getLong(4)).isEqualTo(e.sequenceNumber());
                assertThat(rs.getString(5)).isEqualTo("Scoreboard");
                assertThat(rs.getString(6)).isEqualTo(DateTimeUtils.formatInstant(e.occurredAt()));
                assertThat(rs.getString(7)).isEqualTo(e.type());
                assertThat(rs.getString(8)).isEqualTo("1");
                assertThat(rs.getBytes(9)).isEqualTo(EventJson.writePayload(e.payload()));
                assertThat(rs.getBytes(10)).asString().isEqualTo("{}");
            }
            assertThat(rs.next()).isFalse();
        }
    }

    private static List<EventEnvelope> storedEnvelopes() throws SQLException {
        List<EventEnvelope> stored = new ArrayList<>();
        try (Connection c = owner()) {
            StoredEvents.beginSnapshot(c);
            StoredEvents.forEach(c, 0, stored::add);
            c.rollback();
        }
        return stored;
    }

    private static List<EventEnvelope> sortedByPosition(List<EventEnvelope> events) {
        return events.stream().sorted(Comparator.comparingLong(EventEnvelope::position)).toList();
    }

    private static void claimReplicator(Instant renewed) throws SQLException {
        try (Connection c = owner(); PreparedStatement p = c.prepareStatement("""
                INSERT INTO token_entry (processor_name, segment, token, token_type, timestamp, owner)
                VALUES ('kafka-replicator', 0, NULL, NULL, ?, '4242@crashed-host')
                ON CONFLICT (processor_name, segment) DO UPDATE SET timestamp = EXCLUDED.timestamp""")) {
            p.setString(1, DateTimeUtils.formatInstant(renewed));
            p.executeUpdate();
        }
    }

    private static long eventCount() throws SQLException {
        return count("domain_event_entry");
    }

    private static long tokenRows() throws SQLException {
        return count("token_entry");
    }

    private static long count(String table) throws SQLException {
        try (Connection c = owner(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Connection owner() throws SQLException {
        return DriverManager.getConnection(databases.eventsJdbcUrl(), databases.ownerRole().user(),
                databases.ownerRole().password());
    }

    private static String[] args(EventTopic topic, String... more) {
        return args(topic.name, more);
    }

    private static String[] args(String topic, String... more) {
        List<String> args = new ArrayList<>(List.of("restore-event-store", "--from", "kafka",
                "--environment", TestDatabases.ENVIRONMENT,
                "--events-url", databases.eventsJdbcUrl(),
                "--read-url", databases.readJdbcUrl(),
                "--db-user", databases.ownerRole().user(),
                "--db-password", databases.ownerRole().password(),
                "--kafka", TestKafka.bootstrapServers(),
                "--topic", topic));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private static String[] withEnvironment(String[] args, String environment) {
        return replace(args, "--environment", environment);
    }

    private static String[] withEventsUrl(String[] args, String url) {
        return replace(args, "--events-url", url);
    }

    private static String[] replace(String[] args, String flag, String value) {
        String[] copy = args.clone();
        for (int i = 0; i < copy.length - 1; i++) {
            if (copy[i].equals(flag)) {
                copy[i + 1] = value;
            }
        }
        return copy;
    }
}
