package io.scoreboard.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scoreboard.infra.database.ReadModelSchema;
import io.scoreboard.infra.database.RoleCredentials;
import io.scoreboard.startup.DatabaseRoles;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The analyst role (V6__analyst_views.sql, DatabaseBootstrap): it reads the read model's views and
 * tables, and can neither write them nor reach the event store. The rows are written as the owner,
 * shaped as the projections write them, so the views are checked against known answers.
 */
class AnalystAccessTest {

    private static final UUID STANDARD_BOARD = id(0x100);
    private static final UUID DENSE_BOARD = id(0x200);
    private static final UUID ORDINAL_BOARD = id(0x300);
    private static final UUID DELETED_BOARD = id(0x400);

    private static TestDatabases databases;

    @BeforeAll
    static void writeKnownReadModel() throws SQLException {
        databases = TestDatabases.create();
        try (Connection c = DriverManager.getConnection(databases.readJdbcUrl(), databases.ownerRole().user(),
                databases.ownerRole().password())) {
            ReadModelRows rows = new ReadModelRows(c);
            // STANDARD, highest first: 10, 10, 7 → 1, 1, 3; a removed participant is not ranked.
            rows.board(STANDARD_BOARD, "Quiz night", "HIGHEST_FIRST", "STANDARD", false);
            rows.participant(STANDARD_BOARD, id(0x101), "Ann B", "10", 50, false);
            rows.participant(STANDARD_BOARD, id(0x102), "Bob", "10", 60, false);
            rows.participant(STANDARD_BOARD, id(0x103), "Cat", "7", 80, false);
            rows.participant(STANDARD_BOARD, id(0x104), "Dan", "99", 40, true);
            // DENSE, lowest first: 3, 3, 5 → 1, 1, 2.
            rows.board(DENSE_BOARD, "Golf", "LOWEST_FIRST", "DENSE", false);
            rows.participant(DENSE_BOARD, id(0x201), "Eve", "3", 10, false);
            rows.participant(DENSE_BOARD, id(0x202), "Fay", "3", 11, false);
            rows.participant(DENSE_BOARD, id(0x203), "Gus", "5", 12, false);
            // ORDINAL: three at 8; whoever reached it first wins, then the lower participant id.
            rows.board(ORDINAL_BOARD, "Race", "HIGHEST_FIRST", "ORDINAL", false);
            rows.participant(ORDINAL_BOARD, id(0x301), "Hal", "8", 30, false);
            rows.participant(ORDINAL_BOARD, id(0x303), "Ivy", "8", 20, false);
            rows.participant(ORDINAL_BOARD, id(0x302), "Jon", "8", 20, false);
            rows.participant(ORDINAL_BOARD, id(0x304), "Kim", "1", 5, false);
            // A deleted board keeps its rows but is not on any leaderboard.
            rows.board(DELETED_BOARD, "Gone", "HIGHEST_FIRST", "STANDARD", true);
            rows.participant(DELETED_BOARD, id(0x401), "Lee", "4", 3, false);

            // The quiz night's history: Ann scores, a round, a wrong entry for Cat undone, Bob -3 and +3.
            rows.boardChange(STANDARD_BOARD, 1, "2026-11-01T09:00:00Z", "ScoreboardCreated", null);
            rows.change(STANDARD_BOARD, id(0x101), 2, "2026-11-01T09:00:00Z", "ParticipantAdded", null, null, "Ann", "0");
            rows.change(STANDARD_BOARD, id(0x102), 3, "2026-11-01T09:00:00Z", "ParticipantAdded", null, null, "Bob", "0");
            rows.change(STANDARD_BOARD, id(0x103), 4, "2026-11-01T09:00:00Z", "ParticipantAdded", null, null, "Cat", "0");
            rows.change(STANDARD_BOARD, id(0x101), 5, "2026-11-01T10:00:00Z", "ScoreChanged", "10", "first", "Ann", "10");
            rows.change(STANDARD_BOARD, id(0x102), 6, "2026-11-01T23:30:00Z", "RoundRecorded", "10", "Round 1", "Bob", "10");
            rows.change(STANDARD_BOARD, id(0x103), 6, "2026-11-01T23:30:00Z", "RoundRecorded", "7", "Round 1", "Cat", "7");
            rows.change(STANDARD_BOARD, id(0x103), 7, "2026-11-02T01:00:00Z", "ScoreChanged", "5", null, "Cat", "12");
            rows.boardChange(STANDARD_BOARD, 8, "2026-11-02T02:00:00Z", "ScoreChangeUndone", 7L);
            rows.change(STANDARD_BOARD, id(0x103), 8, "2026-11-02T02:00:00Z", "ScoreChangeUndone", "-5", null, "Cat", "7");
            rows.change(STANDARD_BOARD, id(0x102), 9, "2026-11-02T03:00:00Z", "ScoreChanged", "-3", null, "Bob", "7");
            rows.change(STANDARD_BOARD, id(0x102), 10, "2026-11-02T04:00:00Z", "ScoreChanged", "3", null, "Bob", "10");
            rows.change(STANDARD_BOARD, id(0x101), 11, "2026-11-02T05:00:00Z", "ParticipantRenamed", null, null, "Ann B", "10");
        }
    }

    @AfterAll
    static void drop() {
        if (databases != null) {
            databases.close();
        }
    }

    @Test
    void leaderboard_ranksEveryBoardByItsOwnRules() throws SQLException {
        assertThat(ranks(STANDARD_BOARD)).containsExactly("Ann B=1", "Bob=1", "Cat=3");
        assertThat(ranks(DENSE_BOARD)).containsExactly("Eve=1", "Fay=1", "Gus=2");
        assertThat(ranks(ORDINAL_BOARD)).containsExactly("Jon=1", "Ivy=2", "Hal=3", "Kim=4");
        assertThat(ranks(DELETED_BOARD)).isEmpty();
        assertThat(queryAsAnalyst("SELECT count(*) FROM leaderboard").get(0)).isEqualTo("10");
    }

    @Test
    void scoreChanges_flagTheUndoneChange_andNameParticipantsAsTheyWereThen() throws SQLException {
        List<String> rows = queryAsAnalyst("""
                SELECT sequence_number, participant_name, type, delta::int, score_after::int, undone,
                       undone_by_sequence_number, undoes_sequence_number, board_name, reason
                  FROM score_changes WHERE scoreboard_id = '%s'
                 ORDER BY sequence_number, participant_name""".formatted(STANDARD_BOARD));
        assertThat(rows).containsExactly(
                "5|Ann|ScoreChanged|10|10|f|null|null|Quiz night|first",
                "6|Bob|RoundRecorded|10|10|f|null|null|Quiz night|Round 1",
                "6|Cat|RoundRecorded|7|7|f|null|null|Quiz night|Round 1",
                "7|Cat|ScoreChanged|5|12|t|8|null|Quiz night|null",
                "8|Cat|ScoreChangeUndone|-5|7|f|null|7|Quiz night|null",
                "9|Bob|ScoreChanged|-3|7|f|null|null|Quiz night|null",
                "10|Bob|ScoreChanged|3|10|f|null|null|Quiz night|null");
    }

    @Test
    void dailyActivity_countsTheScoringThatStands_perUtcDay() throws SQLException {
        // A session in another time zone must not move the 23:30 UTC round to the next day.
        List<String> rows = queryAsAnalyst("SET TimeZone = 'Pacific/Auckland'", """
                SELECT day, board_name, score_changes, participants_changed, points_added::int, points_removed::int,
                       to_char(first_change_at AT TIME ZONE 'UTC', 'HH24:MI'), to_char(last_change_at AT TIME ZONE 'UTC', 'HH24:MI')
                  FROM daily_activity WHERE scoreboard_id = '%s' ORDER BY day""".formatted(STANDARD_BOARD));
        assertThat(rows).containsExactly(
                "2026-11-01|Quiz night|3|3|27|0|10:00|23:30",
                // Cat's +5 and its undo cancel out: neither is counted.
                "2026-11-02|Quiz night|2|1|3|3|03:00|04:00");
    }

    @Test
    void theAnalystFindsTheViewsUnqualified_andMayReadEveryReadModelTable() throws SQLException {
        for (String relation : List.of("scoreboards", "participants", "board_changes", "participant_changes",
                "projection_checkpoints", "leaderboard", "score_changes", "daily_activity")) {
            assertThat(queryAsAnalyst("SELECT count(*) >= 0 FROM " + relation)).containsExactly("t");
        }
    }

    @Test
    void theAnalystReadsWhoWroteWhat_butNeverATokensHash() throws SQLException {
        assertThat(queryAsAnalyst("SELECT count(*) >= 0 FROM board_tokens WHERE kind IN ('ADMIN', 'SCOREKEEPER')"
                + " AND label IS NOT NULL AND issued_at IS NOT NULL AND revoked_at IS NULL AND token_id IS NOT NULL"))
                .containsExactly("t");
        assertThat(queryAsAnalyst("SELECT count(*) >= 0 FROM score_changes WHERE token_id IS NULL"
                + " AND token_label IS NULL")).containsExactly("t");
        for (String sql : List.of("SELECT token_hash FROM board_tokens", "SELECT * FROM board_tokens",
                "SELECT count(*) FROM board_tokens WHERE token_hash LIKE 'a%'",
                "UPDATE board_tokens SET revoked_at = now()")) {
            try (Connection c = analystConnection(); Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.execute(sql)).as(sql).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
            }
        }
    }

    @ParameterizedTest(name = "as the analyst: {0}")
    @ValueSource(strings = {
            "INSERT INTO scoreboards (scoreboard_id, name, score_order, ranking, version, last_position, created_at,"
                    + " updated_at) VALUES (gen_random_uuid(), 'x', 'HIGHEST_FIRST', 'STANDARD', 1, 1, now(), now())",
            "UPDATE participants SET score = 1000",
            "DELETE FROM participant_changes",
            "DELETE FROM board_changes",
            "UPDATE projection_checkpoints SET next_offset = 0",
            "TRUNCATE scoreboards CASCADE",
            "CREATE TABLE read_model.analyst_scratch (x int)",
            "CREATE TEMPORARY TABLE analyst_scratch (x int)",
            "DROP VIEW leaderboard",
            "SELECT * FROM public.environment_identity"})
    void theAnalystCannotChangeTheReadModel(String sql) throws SQLException {
        try (Connection c = analystConnection(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute(sql)).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
        }
        assertThat(queryAsAnalyst("SELECT count(*) FROM participants").get(0)).isEqualTo("12");
    }

    @Test
    void theAnalystCannotConnectToTheEventStore() {
        RoleCredentials analyst = databases.analystRole();
        assertThatThrownBy(() -> DriverManager.getConnection(databases.eventsJdbcUrl(), analyst.user(),
                analyst.password()).close())
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
                .hasMessageContaining("permission denied for database");
    }

    @ParameterizedTest(name = "in the event store as the analyst: {0}")
    @ValueSource(strings = {
            "SELECT count(*) FROM public.domain_event_entry",
            "SELECT count(*) FROM public.snapshot_event_entry",
            "SELECT count(*) FROM public.token_entry",
            "SELECT count(*) FROM public.idempotency_keys",
            "SELECT count(*) FROM public.flyway_schema_history",
            "SELECT count(*) FROM public.environment_identity",
            "INSERT INTO public.domain_event_entry (event_identifier, aggregate_identifier, sequence_number, time_stamp,"
                    + " payload_type, payload) VALUES ('x', 'b', 0, 't', 'T', '{}'::bytea)",
            "CREATE TABLE public.analyst_scratch (x int)"})
    void evenWithAConnection_theAnalystCanNeitherReadNorWriteTheEventStore(String sql) throws SQLException {
        // Defence in depth: should CONNECT ever be granted by mistake, the tables stay closed.
        try (Connection c = superuserConnection(databases.eventsDatabase()); Statement s = c.createStatement()) {
            s.execute("SET ROLE " + DatabaseRoles.ANALYST);
            assertThatThrownBy(() -> s.execute(sql)).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
        }
    }

    @Test
    void theServicesKeepTheirRights_afterPublicLostTheSchemaPublic() throws SQLException {
        RoleCredentials app = databases.appRole();
        try (Connection c = DriverManager.getConnection(databases.eventsJdbcUrl(), app.user(), app.password());
             Statement s = c.createStatement()) {
            s.execute("SELECT count(*) FROM domain_event_entry");
            s.execute("SELECT environment FROM public.environment_identity");
        }
        try (Connection c = DriverManager.getConnection(databases.readJdbcUrl(), app.user(), app.password());
             Statement s = c.createStatement()) {
            s.execute("SELECT count(*) FROM scoreboards");
            s.execute("SELECT environment FROM public.environment_identity");
        }
    }

    @Test
    void aSchemaMigratedUnderAnotherName_hasItsOwnViews_overItsOwnTables() throws SQLException {
        String shadow = "read_model_rebuild_analyst_test";
        ReadModelSchema.migrate(databases.server().jdbcUrl(databases.readDatabase()), databases.ownerRole(),
                databases.appRole().user(), databases.analystRole().user(), shadow);
        try (Connection c = DriverManager.getConnection(databases.server().jdbcUrl(databases.readDatabase())
                + "?currentSchema=" + shadow, databases.ownerRole().user(), databases.ownerRole().password())) {
            ReadModelRows rows = new ReadModelRows(c);
            rows.board(id(0x900), "Shadow", "HIGHEST_FIRST", "STANDARD", false);
            rows.participant(id(0x900), id(0x901), "Max", "1", 1, false);
        }
        assertThat(queryAsAnalyst("SELECT board_name FROM " + shadow + ".leaderboard")).containsExactly("Shadow");
        assertThat(queryAsAnalyst("SELECT count(*) FROM " + shadow + ".score_changes")).containsExactly("0");
        assertThat(queryAsAnalyst("SELECT count(*) FROM " + shadow + ".daily_activity")).containsExactly("0");
        assertThat(queryAsAnalyst("SELECT count(*) FROM leaderboard WHERE board_name = 'Shadow'"))
                .containsExactly("0");
    }

    private static List<String> ranks(UUID board) throws SQLException {
        return queryAsAnalyst("SELECT participant_name || '=' || rank FROM leaderboard WHERE scoreboard_id = '"
                + board + "' ORDER BY place");
    }

    /** Runs the statements as the analyst, connected as psql users are (no schema in the URL). */
    private static List<String> queryAsAnalyst(String... statements) throws SQLException {
        try (Connection c = analystConnection(); Statement s = c.createStatement()) {
            for (int i = 0; i < statements.length - 1; i++) {
                s.execute(statements[i]);
            }
            try (ResultSet rs = s.executeQuery(statements[statements.length - 1])) {
                List<String> rows = new ArrayList<>();
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<String> values = new ArrayList<>();
                    for (int i = 1; i <= columns; i++) {
                        values.add(String.valueOf(rs.getString(i)));
                    }
                    rows.add(String.join("|", values));
                }
                return rows;
            }
        }
    }

    private static Connection analystConnection() throws SQLException {
        RoleCredentials analyst = databases.analystRole();
        return DriverManager.getConnection(databases.server().jdbcUrl(databases.readDatabase()), analyst.user(),
                analyst.password());
    }

    private static Connection superuserConnection(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", databases.server().superuser());
        if (databases.server().superuserPassword() != null) {
            props.setProperty("password", databases.server().superuserPassword());
        }
        return DriverManager.getConnection(databases.server().jdbcUrl(database), props);
    }

    private static UUID id(int n) {
        return UUID.fromString("00000000-0000-0000-0000-%012x".formatted(n));
    }

    /** Read-model rows as the projections write them (positions follow sequence numbers). */
    private record ReadModelRows(Connection c) {

        void board(UUID board, String name, String order, String ranking, boolean deleted) throws SQLException {
            update("INSERT INTO scoreboards (scoreboard_id, name, score_order, ranking, deleted, version,"
                    + " last_position, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 20, 200,"
                    + " '2026-11-01T09:00:00Z', '2026-11-02T05:00:00Z')", board, name, order, ranking, deleted);
        }

        void participant(UUID board, UUID participant, String name, String score, long reachedAt, boolean removed)
                throws SQLException {
            update("INSERT INTO participants (scoreboard_id, participant_id, name, score, score_reached_position,"
                    + " removed, removed_at) VALUES (?, ?, ?, ?, ?, ?, ?)", board, participant, name,
                    new BigDecimal(score), reachedAt, removed, removed ? OffsetDateTime.parse("2026-11-02T06:00:00Z") : null);
        }

        void boardChange(UUID board, long sequence, String at, String type, Long undoes) throws SQLException {
            update("INSERT INTO board_changes (scoreboard_id, sequence_number, position, occurred_at, event_type,"
                    + " name, score_order, ranking, deleted, undoes_sequence_number)"
                    + " VALUES (?, ?, ?, ?, ?, 'Quiz night', 'HIGHEST_FIRST', 'STANDARD', false, ?)",
                    board, sequence, sequence * 10, OffsetDateTime.parse(at), type, undoes);
        }

        void change(UUID board, UUID participant, long sequence, String at, String type, String delta, String reason,
                    String name, String score) throws SQLException {
            update("INSERT INTO participant_changes (scoreboard_id, participant_id, sequence_number, position,"
                    + " occurred_at, event_type, delta, reason, name, score, score_reached_position, removed)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, false)",
                    board, participant, sequence, sequence * 10, OffsetDateTime.parse(at), type,
                    delta == null ? null : new BigDecimal(delta), reason, name, new BigDecimal(score), sequence * 10);
        }

        private void update(String sql, Object... values) throws SQLException {
            try (PreparedStatement p = c.prepareStatement(sql)) {
                for (int i = 0; i < values.length; i++) {
                    p.setObject(i + 1, values[i]);
                }
                p.executeUpdate();
            }
        }
    }
}
