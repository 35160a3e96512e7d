package io.scoreboard.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoreboard.events.EventEnvelope;
import java.net.URI;
import io.scoreboard.events.EventJson;
import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.events.ScoreboardCreatedEvent;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Disaster drill 2: the event store database is dropped. Recreate it empty (migrations), run
 * {@code restore-event-store --from kafka}, start the command service on it again: every event is
 * back as it was, writes continue each board's sequence, the read side never noticed, and the two
 * stores hold the same events.
 */
class EventStoreLossDrillIT {

    private static RunningSystem system;

    @BeforeAll
    static void start() {
        system = RunningSystem.start("EventStoreLossDrillIT");
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void drill_eventStoreDropped_restoredFromTheTopic_writesContinueTheSameSequences() throws Exception {
        List<Long> acknowledged = new ArrayList<>(committedAfterALaterEvent());
        List<Board> boards = List.of(board("Quiz night", 4), board("Darts", 2), board("Chess club", 3));
        for (Board b : boards) {
            acknowledged.add(b.position);
            for (int round = 1; round <= 5; round++) {
                acknowledged.add(b.scoreChange(round % 2 == 0 ? "-1.25" : "3"));
            }
        }
        acknowledged.add(boards.get(0).write("PATCH", "", "{\"name\":\"Quiz night (final)\"}"));
        acknowledged.add(boards.get(1).write("POST", "/undo", null));
        long lastBefore = acknowledged.stream().mapToLong(Long::longValue).max().orElseThrow();
        Map<String, JsonNode> readBefore = readAll(boards, lastBefore);
        List<StoredRow> rowsBefore = storedRows();
        Map<UUID, Long> copiesBefore = copiesInTopic();

        system.stopCommandService();
        system.databases.recreateEventsDatabase();
        assertThat(storedRows()).as("the recreated store is empty").isEmpty();

        // Started too early, a command service would write new events over the history's positions: it refuses.
        var early = system.launchCommandService("too-early",
                system.commandServiceArgs(io.scoreboard.infra.localstack.Ports.findFree(), system.topic));
        try {
            assertThat(early.awaitExit(java.time.Duration.ofSeconds(90))).as(early.logTail(40)).isNotIn(0, -1);
            assertThat(early.log()).contains("Refusing to start on an empty event store")
                    .contains("./scoreboard restore-event-store --from kafka");
        } finally {
            early.close();
        }
        assertThat(storedRows()).as("nothing was written by the refused service").isEmpty();

        OperatorCliProcess.Result restored = OperatorCliProcess.run(system, "restore-event-store", "--from", "kafka",
                "--confirm", system.databases.environment());
        assertThat(restored.exitCode()).as(restored.all()).isZero();

        List<StoredRow> rowsAfter = storedRows();
        assertThat(rowsAfter).extracting(StoredRow::columns).as("every column as Axon wrote it, but the metadata")
                .isEqualTo(rowsBefore.stream().map(StoredRow::columns).toList());
        // The one documented difference: Axon's correlation metadata is not in Kafka.
        assertThat(rowsBefore).anySatisfy(r -> assertThat(r.metaData()).contains("\"correlationId\""));
        assertThat(rowsAfter).allSatisfy(r -> assertThat(r.metaData()).isEqualTo("{}"));

        system.startCommandService();
        for (Board b : boards) {
            long versionBefore = b.version;
            long position = b.scoreChange("10");
            assertThat(b.version).as("board " + b.id + " continues its sequence").isEqualTo(versionBefore + 1);
            assertThat(position).as("new positions follow the restored ones").isGreaterThan(lastBefore);
            acknowledged.add(position);
        }
        Board created = board("After the restore", 2);
        acknowledged.add(created.scoreChange("1"));
        assertThat(created.position).isGreaterThan(lastBefore);

        long lastAfter = acknowledged.stream().mapToLong(Long::longValue).max().orElseThrow();
        Map<String, JsonNode> readAfter = readAll(boards, lastAfter);
        for (Board b : boards) {
            assertThat(readAfter.get(b.id).get("version").asLong()).isEqualTo(b.version);
            assertThat(readAfter.get(b.id).get("name")).isEqualTo(readBefore.get(b.id).get("name"));
        }
        assertThat(copiesInTopic()).as("restored events were not published again")
                .containsAllEntriesOf(copiesBefore);
        JsonNode replication = Http.get(system.commandUri("/api/v1/ops/replication")).json();
        assertThat(replication.get("lagEvents").asLong()).as(replication.toString()).isZero();
        TwoStores.assertSameEvents(system, acknowledged);
        OperatorCliProcess.assertVerifyAgrees(system);
    }

    /** A board created through the command API, with what its writes answered last. */
    private static final class Board {
        final String id;
        final String admin;
        final List<String> participants = new ArrayList<>();
        long version;
        long position;

        Board(JsonNode created) {
            id = created.get("scoreboardId").asText();
            admin = "Bearer " + created.get("adminToken").asText();
            created.get("participants").forEach(p -> participants.add(p.get("participantId").asText()));
            version = created.get("version").asLong();
            position = created.get("position").asLong();
        }

        long scoreChange(String delta) {
            return write("POST", "/participants/" + participants.get(0) + "/score-changes",
                    "{\"delta\":" + delta + "}");
        }

        long write(String method, String path, String body) {
            Http.Response r = Http.send(method, system.commandUri("/api/v1/scoreboards/" + id + path), body,
                    "Authorization", admin, "Idempotency-Key", UUID.randomUUID().toString());
            assertThat(r.status()).as(method + " " + path + ": " + r.body()).isEqualTo(200);
            version = r.json().get("version").asLong();
            position = r.json().get("position").asLong();
            return position;
        }
    }

    private static Board board(String name, int participants) {
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < participants; i++) {
            names.append(i == 0 ? "" : ",").append("\"P").append(i).append('"');
        }
        Http.Response r = Http.post(system.commandUri("/api/v1/scoreboards"),
                "{\"name\":\"" + name + "\",\"participants\":[" + names + "]}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return new Board(r.json());
    }

    /**
     * Concurrent writers commit out of position order: an event can commit after one with a higher
     * position has been replicated. Kafka must still carry its own position, or a restore would put
     * it in the wrong place (or find two events claiming one position). Returns both positions.
     */
    private static List<Long> committedAfterALaterEvent() throws SQLException {
        UUID board = UUID.randomUUID();
        try (Connection c = DriverManager.getConnection(system.databases.eventsJdbcUrl(),
                system.databases.appRole().user(), system.databases.appRole().password());
             PreparedStatement insert = c.prepareStatement("INSERT INTO domain_event_entry (event_identifier, "
                     + "aggregate_identifier, sequence_number, type, time_stamp, payload_type, payload_revision, "
                     + "payload, meta_data) VALUES (?, ?, 0, 'Scoreboard', ?, 'ScoreboardCreated', '1', ?, ?) "
                     + "RETURNING global_index")) {
            c.setAutoCommit(false);
            insert.setString(1, UUID.randomUUID().toString());
            insert.setString(2, board.toString());
            insert.setString(3, DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                    .replace("Z", ".000Z"));
            insert.setBytes(4, EventJson.writePayload(new ScoreboardCreatedEvent(board, "Committed late",
                    ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD, "admin-hash", "keeper-hash")));
            insert.setBytes(5, "{}".getBytes(StandardCharsets.UTF_8));
            ResultSet rs = insert.executeQuery();
            rs.next();
            long early = rs.getLong(1);
            Board later = board("Committed first", 1); // answered once replicated, with `early` still a gap
            assertThat(later.position).isGreaterThan(early);
            c.commit();
            return List.of(early, later.position);
        }
    }

    /** Each board as the query service serves it once it has reached {@code position}. */
    private static Map<String, JsonNode> readAll(List<Board> boards, long position) {
        return boards.stream().collect(Collectors.toMap(b -> b.id, b -> {
            Http.Response r = Http.get(URI.create(system.queryUri("/api/v1/scoreboards/" + b.id) + "?minPosition="
                    + position));
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            return r.json();
        }));
    }

    /** One row of domain_event_entry: every column but meta_data as text (payload in hex), and meta_data. */
    record StoredRow(List<String> columns, String metaData) {}

    private static List<StoredRow> storedRows() throws SQLException {
        List<StoredRow> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(system.databases.eventsJdbcUrl(),
                system.databases.ownerRole().user(), system.databases.ownerRole().password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT global_index, event_identifier, aggregate_identifier, "
                     + "sequence_number, type, time_stamp, payload_type, payload_revision, encode(payload, 'hex'), "
                     + "convert_from(meta_data, 'UTF8') FROM domain_event_entry ORDER BY global_index")) {
            while (rs.next()) {
                List<String> columns = new ArrayList<>();
                for (int i = 1; i <= 9; i++) {
                    columns.add(rs.getString(i));
                }
                rows.add(new StoredRow(columns, rs.getString(10)));
            }
        }
        return rows;
    }

    private static Map<UUID, Long> copiesInTopic() {
        return TwoStores.readTopic(system).stream()
                .collect(Collectors.groupingBy(EventEnvelope::eventId, Collectors.counting()));
    }
}
