package io.scoreboard.operator.rebuild;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.operator.Cli;
import io.scoreboard.operator.Installation;
import io.scoreboard.projections.BoardEvents;
import io.scoreboard.projections.scoreboard.BoardRow;
import io.scoreboard.projections.scoreboard.ReadModelRows;
import io.scoreboard.projections.scoreboard.ScoreboardRecomputation;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code rebuild} against a real PostgreSQL and a real broker: the switched-in model equals a fresh
 * recomputation, from either source; a point-in-time copy holds the boards as they stood; without
 * --confirm, or for another environment, nothing is created.
 */
class RebuildIntegrationTest {

    private Installation installation;
    private final List<EventEnvelope> history = new ArrayList<>();
    private List<EventEnvelope> events;

    @BeforeEach
    void setUp() throws Exception {
        installation = Installation.create("test");
        for (int i = 0; i < 4; i++) {
            BoardEvents board = new BoardEvents();
            history.add(board.created("Board " + i, ScoreOrder.HIGHEST_FIRST, Ranking.values()[i % 3]));
            history.add(board.added("Ann, \"the first\""));
            history.add(board.added("Bob"));
            history.add(board.scoreSet("Ann, \"the first\"", "3.50"));
            history.add(board.round("Round 2", "Ann, \"the first\"=4", "Bob=4"));
            history.add(board.undo());
            history.add(board.removed("Bob"));
            history.add(board.renamed("Board " + i + " (final)"));
            if (i < 2) { // teams on half the boards: created, renamed, removed with a member, (un)assigned, rewound
                history.addAll(board.teamHistory("Ann, \"the first\""));
            }
        }
        // Stored and replicated as the command side does: positions are the event store's.
        events = installation.append(history.toArray(EventEnvelope[]::new));
    }

    @AfterEach
    void tearDown() {
        installation.close();
    }

    @Test
    void fromKafka_switchesInAModelEqualToAFreshRecomputation_andKeepsThePreviousOne() throws Exception {
        for (EventEnvelope e : events.subList(0, 5)) {
            installation.publish(e); // at-least-once delivery left copies
        }

        Cli.Result result = Cli.run(installation.command("rebuild", "--confirm=test"));

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("switching", "Done in", "previous model is kept as schema read_model_retired_");
        assertThat(liveBoards()).isEqualTo(recomputed(events, Instant.MAX));
        assertThat(schemas()).anyMatch(s -> s.startsWith("read_model_retired_")).contains("read_model");
        String retired = schemas().stream().filter(s -> s.startsWith("read_model_retired_")).findFirst().orElseThrow();
        assertThat(keysAndIndexes("read_model")).as("keys and indexes dropped for the load are all back")
                .isEqualTo(keysAndIndexes(retired)).isNotEmpty();
        assertThat(checkpointOffsets()).isEqualTo(Map.of(0, endOffset(0), 1, endOffset(1), 2, endOffset(2)));
    }

    @Test
    void aRebuildOfAHistoryWithTeams_verifiesClean_andHoldsTheTeamsRows() throws Exception {
        Cli.Result rebuilt = Cli.run(installation.command("rebuild", "--confirm=test"));
        assertThat(rebuilt.exitCode()).as(rebuilt.toString()).isZero();

        Cli.Result verified = Cli.run(installation.command("verify"));

        assertThat(verified.exitCode()).as(verified.toString()).isZero();
        assertThat(verified.out()).contains("RESULT: OK");
        Map<UUID, BoardRow> live = liveBoards();
        assertThat(live.values()).filteredOn(b -> !b.teams().isEmpty()).hasSize(2).allSatisfy(b -> {
            assertThat(b.teams()).extracting(t -> t.name() + (t.removed() ? " (removed)" : ""))
                    .containsExactlyInAnyOrder(BoardEvents.RED, "Blue", "Green (removed)");
            assertThat(b.participants()).filteredOn(p -> !p.removed()).singleElement()
                    .satisfies(p -> assertThat(p.teamId()).isNotNull());
            assertThat(b.history().teamChanges()).isEqualTo(7); // 3 created, a rename, a removal, 2 by the rewind
        });
        assertThat(live.values()).filteredOn(b -> b.teams().isEmpty()).hasSize(2)
                .allSatisfy(b -> assertThat(b.history().teamChanges()).isZero());
    }

    @Test
    void fromTheEventStore_switchesInTheSameModel() throws Exception {
        Cli.Result result = Cli.run(installation.command("rebuild", "--source=event-store", "--confirm=test",
                "--json"));

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("\"source\" : \"event-store\"", "\"switched\" : true");
        assertThat(liveBoards()).isEqualTo(recomputed(events, Instant.MAX));
    }

    @Test
    void until_buildsTheBoardsAsTheyStoodThen_besideTheUntouchedLiveModel() throws Exception {
        Instant until = Instant.parse("2025-01-01T00:00:04Z"); // each board's first four events

        Cli.Result result = Cli.run(installation.command("rebuild", "--until=" + until));

        assertThat(result.exitCode()).as(result.toString()).isZero();
        List<String> schemas = schemas();
        String copy = schemas.stream().filter(s -> s.startsWith("read_model_asof_20250101_000004_b")).findFirst()
                .orElseThrow(() -> new AssertionError("no point-in-time schema in " + schemas));
        assertThat(boards(copy)).isEqualTo(recomputed(events, until));
        assertThat(boards(copy).values()).allSatisfy(b -> assertThat(b.version()).isEqualTo(3));
        assertThat(liveBoards()).as("the live model is not touched").isEmpty();
        assertThat(result.out()).contains("The copy is schema " + copy);
    }

    @Test
    void aRebuildStoppedByADamagedEvent_leavesNoSchemaBehind_andTheLiveModelUntouched() throws Exception {
        BoardEvents board = new BoardEvents();
        // Deleting a deleted board: the command side never writes this, so the projection refuses it.
        installation.append(board.created("Damaged", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD), board.deleted(),
                board.deleted());

        Cli.Result result = Cli.run(installation.command("rebuild", "--source=event-store", "--confirm=test"));

        assertThat(result.exitCode()).as(result.toString()).isNotZero();
        assertThat(result.err()).contains("the scoreboard is already deleted");
        assertThat(result.out() + result.err()).contains("removed the unfinished schema read_model_rebuild_");
        assertThat(schemas()).containsExactlyInAnyOrder("public", "read_model");
        assertThat(liveBoards()).isEmpty();
    }

    @Test
    void withoutConfirm_whenNotInteractive_refusesBeforeBuildingAnything() throws Exception {
        Cli.Result refused = Cli.run(installation.command("rebuild"));
        Cli.Result mismatch = Cli.run(installation.command("rebuild", "--confirm=prod"));

        assertThat(refused.exitCode()).isEqualTo(3);
        assertThat(refused.err()).contains("needs its name typed back", "--confirm test");
        assertThat(mismatch.exitCode()).isEqualTo(3);
        assertThat(mismatch.err()).contains("does not match the target's environment 'test'");
        assertThat(schemas()).containsExactlyInAnyOrder("public", "read_model");
    }

    @Test
    void aToolConfiguredForAnotherEnvironment_isRefusedAndChangesNothing() throws Exception {
        List<String> args = new ArrayList<>(List.of("rebuild"));
        args.addAll(List.of(installation.args("dev", "--confirm=dev")));
        Cli.Result result = Cli.run(args.toArray(String[]::new));

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).contains("belongs to environment 'test'", "configured for 'dev'");
        assertThat(schemas()).containsExactlyInAnyOrder("public", "read_model");
    }

    private static Map<UUID, BoardRow> recomputed(List<EventEnvelope> history, Instant until) {
        ScoreboardRecomputation model = new ScoreboardRecomputation();
        history.stream().filter(e -> !e.occurredAt().isAfter(until)).forEach(model::apply);
        return model.boards();
    }

    private Map<UUID, BoardRow> liveBoards() throws SQLException {
        return boards("read_model");
    }

    private Map<UUID, BoardRow> boards(String schema) throws SQLException {
        Map<UUID, BoardRow> rows = new HashMap<>();
        try (Connection c = owner()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL search_path = " + schema);
            }
            ReadModelRows.forEach(c, r -> rows.put(r.scoreboardId(), r));
            c.commit();
        }
        return rows;
    }

    /** Every constraint (name, kind, definition) and index definition of a schema, the schema's name left out. */
    private List<String> keysAndIndexes(String schema) throws SQLException {
        List<String> found = new ArrayList<>();
        try (Connection c = owner(); PreparedStatement p = c.prepareStatement(
                "SELECT t.relname || ' ' || k.conname || ' ' || k.contype::text || ' ' || pg_get_constraintdef(k.oid) "
                        + "FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid "
                        + "JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = ? "
                        + "UNION ALL SELECT replace(indexdef, schemaname || '.', '') FROM pg_indexes WHERE schemaname = ? "
                        + "ORDER BY 1")) {
            p.setString(1, schema);
            p.setString(2, schema);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getString(1).replace(schema + ".", ""));
                }
            }
        }
        return found;
    }

    private List<String> schemas() throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = owner(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' "
                     + "AND nspname <> 'information_schema'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private Map<Integer, Long> checkpointOffsets() throws SQLException {
        Map<Integer, Long> offsets = new HashMap<>();
        try (Connection c = owner(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT kafka_partition, next_offset FROM read_model.projection_checkpoints")) {
            while (rs.next()) {
                offsets.put(rs.getInt(1), rs.getLong(2));
            }
        }
        return offsets;
    }

    private long endOffset(int partition) {
        try (var topicEvents = new io.scoreboard.operator.source.TopicEvents(
                io.scoreboard.testsupport.TestKafka.bootstrapServers(), installation.topic)) {
            return topicEvents.endOffsets().get(partition);
        }
    }

    private Connection owner() throws SQLException {
        var databases = installation.databases;
        return DriverManager.getConnection(databases.server().jdbcUrl(databases.readDatabase()),
                databases.ownerRole().user(), databases.ownerRole().password());
    }
}
