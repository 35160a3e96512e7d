package io.scoreboard.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scoreboard.infra.database.RoleCredentials;
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
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The analyst's teams (V12__teams.sql): {@code team_standings} ranks each board's teams by the sum of their current
 * members' scores with the board's own rules, {@code score_changes} names the team of each change, and the analyst
 * reads {@code teams} and {@code team_changes} but cannot change them. Rows are written as the owner, shaped as the
 * projection writes them, so the views are checked against known answers.
 */
class TeamStandingsAnalystTest {

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
            Rows rows = new Rows(c);
            // STANDARD, highest first: Apes 10 + 5, Bees 15, Cats 7 (its removed member's 100 does not count),
            // Dogs no members (0); Eels removed → 1, 1, 3, 4.
            rows.board(STANDARD_BOARD, "Quiz night", "HIGHEST_FIRST", "STANDARD", false);
            rows.team(STANDARD_BOARD, id(0x1a), "Apes", false);
            rows.team(STANDARD_BOARD, id(0x1b), "Bees", false);
            rows.team(STANDARD_BOARD, id(0x1c), "Cats", false);
            rows.team(STANDARD_BOARD, id(0x1d), "Dogs", false);
            rows.team(STANDARD_BOARD, id(0x1e), "Eels", true);
            rows.participant(STANDARD_BOARD, id(0x101), "Ann", "10", 50, false, id(0x1a));
            rows.participant(STANDARD_BOARD, id(0x102), "Bob", "5", 51, false, id(0x1a));
            rows.participant(STANDARD_BOARD, id(0x103), "Cid", "15", 52, false, id(0x1b));
            rows.participant(STANDARD_BOARD, id(0x104), "Dee", "7", 53, false, id(0x1c));
            rows.participant(STANDARD_BOARD, id(0x105), "Eve", "100", 54, true, id(0x1c));
            rows.participant(STANDARD_BOARD, id(0x106), "Fay", "40", 55, false, null);
            // DENSE, lowest first: Xs 1 + 2, Ys 3, Zs 5 → 1, 1, 2.
            rows.board(DENSE_BOARD, "Golf", "LOWEST_FIRST", "DENSE", false);
            rows.team(DENSE_BOARD, id(0x2a), "Xs", false);
            rows.team(DENSE_BOARD, id(0x2b), "Ys", false);
            rows.team(DENSE_BOARD, id(0x2c), "Zs", false);
            rows.participant(DENSE_BOARD, id(0x201), "Gus", "1", 10, false, id(0x2a));
            rows.participant(DENSE_BOARD, id(0x202), "Hal", "2", 11, false, id(0x2a));
            rows.participant(DENSE_BOARD, id(0x203), "Ivy", "3", 12, false, id(0x2b));
            rows.participant(DENSE_BOARD, id(0x204), "Jon", "5", 13, false, id(0x2c));
            // ORDINAL, highest first, three teams at 8: the one whose latest member change came first wins, then by
            // name (Able before Baker at 20), and Carol's latest change was at 30.
            rows.board(ORDINAL_BOARD, "Race", "HIGHEST_FIRST", "ORDINAL", false);
            rows.team(ORDINAL_BOARD, id(0x3c), "Carol", false);
            rows.team(ORDINAL_BOARD, id(0x3b), "Baker", false);
            rows.team(ORDINAL_BOARD, id(0x3a), "Able", false);
            rows.participant(ORDINAL_BOARD, id(0x301), "Kim", "4", 10, false, id(0x3c));
            rows.participant(ORDINAL_BOARD, id(0x302), "Lee", "4", 30, false, id(0x3c));
            rows.participant(ORDINAL_BOARD, id(0x303), "Max", "8", 20, false, id(0x3b));
            rows.participant(ORDINAL_BOARD, id(0x304), "Ned", "8", 20, false, id(0x3a));
            // A deleted board keeps its teams, but they are in no standings.
            rows.board(DELETED_BOARD, "Gone", "HIGHEST_FIRST", "STANDARD", true);
            rows.team(DELETED_BOARD, id(0x4a), "Ghosts", false);
            rows.participant(DELETED_BOARD, id(0x401), "Oz", "4", 3, false, id(0x4a));

            // Ann scored in Apes; Fay scored without a team; the team's creation is in team_changes.
            rows.change(STANDARD_BOARD, id(0x101), 5, "ScoreChanged", "10", "Ann", "10", id(0x1a));
            rows.change(STANDARD_BOARD, id(0x106), 6, "ScoreChanged", "40", "Fay", "40", null);
            rows.change(STANDARD_BOARD, id(0x101), 7, "ParticipantTeamChanged", null, "Ann", "10", id(0x1a));
            rows.teamChange(STANDARD_BOARD, id(0x1a), 3, "TeamCreated", "Apes", false);
            // Bees were called Bugs when Cid scored, and are renamed since.
            rows.teamChange(STANDARD_BOARD, id(0x1b), 4, "TeamCreated", "Bugs", false);
            rows.change(STANDARD_BOARD, id(0x103), 8, "ScoreChanged", "15", "Cid", "15", id(0x1b));
            rows.teamChange(STANDARD_BOARD, id(0x1b), 9, "TeamRenamed", "Bees", false);
        }
    }

    @AfterAll
    static void drop() {
        if (databases != null) {
            databases.close();
        }
    }

    @Test
    void teamStandings_rankEachBoardsTeams_byTheirCurrentMembers_withTheBoardsRules() throws SQLException {
        assertThat(standings(STANDARD_BOARD)).containsExactly("Apes|2|15|1", "Bees|1|15|1", "Cats|1|7|3",
                "Dogs|0|0|4");
        assertThat(standings(DENSE_BOARD)).containsExactly("Xs|2|3|1", "Ys|1|3|1", "Zs|1|5|2");
        assertThat(standings(ORDINAL_BOARD)).containsExactly("Able|1|8|1", "Baker|1|8|2", "Carol|2|8|3");
    }

    @Test
    void teamStandings_leaveOutRemovedTeams_andDeletedBoards() throws SQLException {
        assertThat(queryAsAnalyst("SELECT count(*) FROM team_standings WHERE team_name = 'Eels'"))
                .containsExactly("0");
        assertThat(standings(DELETED_BOARD)).isEmpty();
        assertThat(queryAsAnalyst("SELECT DISTINCT board_name || '|' || score_order || '|' || ranking"
                + " FROM team_standings ORDER BY 1"))
                .containsExactly("Golf|LOWEST_FIRST|DENSE", "Quiz night|HIGHEST_FIRST|STANDARD",
                        "Race|HIGHEST_FIRST|ORDINAL");
    }

    @Test
    void scoreChanges_nameTheTeamOfEachScoreChange_asItWasThen() throws SQLException {
        assertThat(queryAsAnalyst("SELECT participant_name, type, team_id, team_name FROM score_changes"
                + " WHERE scoreboard_id = '" + STANDARD_BOARD + "' ORDER BY sequence_number"))
                .containsExactly("Ann|ScoreChanged|" + id(0x1a) + "|Apes", "Fay|ScoreChanged|null|null",
                        "Cid|ScoreChanged|" + id(0x1b) + "|Bugs");
    }

    @Test
    void theAnalystReadsTeamsAndTheirHistory() throws SQLException {
        assertThat(queryAsAnalyst("SELECT count(*) FROM teams")).containsExactly("12");
        assertThat(queryAsAnalyst("SELECT name || '|' || event_type || '|' || removed FROM team_changes"
                + " ORDER BY sequence_number"))
                .containsExactly("Apes|TeamCreated|false", "Bugs|TeamCreated|false", "Bees|TeamRenamed|false");
        assertThat(queryAsAnalyst("SELECT count(*) FROM participants WHERE team_id IS NOT NULL"))
                .containsExactly("14");
        assertThat(queryAsAnalyst("SELECT count(*) FROM participant_changes WHERE team_id IS NOT NULL"))
                .containsExactly("3");
    }

    @ParameterizedTest(name = "as the analyst: {0}")
    @ValueSource(strings = {
            "UPDATE teams SET name = 'x'",
            "INSERT INTO teams (scoreboard_id, team_id, name) VALUES (gen_random_uuid(), gen_random_uuid(), 'x')",
            "DELETE FROM team_changes",
            "UPDATE participants SET team_id = NULL",
            "DROP VIEW team_standings"})
    void theAnalystCannotChangeTeams(String sql) throws SQLException {
        try (Connection c = analystConnection(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute(sql)).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
        }
        assertThat(queryAsAnalyst("SELECT count(*) FROM team_changes")).containsExactly("3");
        assertThat(queryAsAnalyst("SELECT count(*) FROM participants WHERE team_id IS NOT NULL"))
                .containsExactly("14");
    }

    private static List<String> standings(UUID board) throws SQLException {
        return queryAsAnalyst("SELECT team_name || '|' || members || '|' || score::int || '|' || rank"
                + " FROM team_standings WHERE scoreboard_id = '" + board + "' ORDER BY rank, team_name");
    }

    /** Runs the query as the analyst, connected as psql users are (no schema in the URL). */
    private static List<String> queryAsAnalyst(String sql) throws SQLException {
        try (Connection c = analystConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
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

    private static Connection analystConnection() throws SQLException {
        RoleCredentials analyst = databases.analystRole();
        return DriverManager.getConnection(databases.server().jdbcUrl(databases.readDatabase()), analyst.user(),
                analyst.password());
    }

    private static UUID id(int n) {
        return UUID.fromString("00000000-0000-0000-0000-%012x".formatted(n));
    }

    /** Read-model rows as the projection writes them (positions follow sequence numbers). */
    private record Rows(Connection c) {

        void board(UUID board, String name, String order, String ranking, boolean deleted) throws SQLException {
            update("INSERT INTO scoreboards (scoreboard_id, name, score_order, ranking, deleted, version,"
                    + " last_position, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 20, 200,"
                    + " '2026-11-01T09:00:00Z', '2026-11-02T05:00:00Z')", board, name, order, ranking, deleted);
        }

        void team(UUID board, UUID team, String name, boolean removed) throws SQLException {
            update("INSERT INTO teams (scoreboard_id, team_id, name, removed) VALUES (?, ?, ?, ?)", board, team, name,
                    removed);
        }

        void participant(UUID board, UUID participant, String name, String score, long reachedAt, boolean removed,
                         UUID team) throws SQLException {
            update("INSERT INTO participants (scoreboard_id, participant_id, name, score, score_reached_position,"
                    + " removed, removed_at, team_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", board, participant, name,
                    new BigDecimal(score), reachedAt, removed,
                    removed ? OffsetDateTime.parse("2026-11-02T06:00:00Z") : null, team);
        }

        void change(UUID board, UUID participant, long sequence, String type, String delta, String name, String score,
                    UUID team) throws SQLException {
            update("INSERT INTO participant_changes (scoreboard_id, participant_id, sequence_number, position,"
                    + " occurred_at, event_type, delta, name, score, score_reached_position, removed, team_id)"
                    + " VALUES (?, ?, ?, ?, '2026-11-01T10:00:00Z', ?, ?, ?, ?, ?, false, ?)",
                    board, participant, sequence, sequence * 10, type, delta == null ? null : new BigDecimal(delta),
                    name, new BigDecimal(score), sequence * 10, team);
        }

        void teamChange(UUID board, UUID team, long sequence, String type, String name, boolean removed)
                throws SQLException {
            update("INSERT INTO team_changes (scoreboard_id, team_id, sequence_number, position, occurred_at,"
                    + " event_type, name, removed) VALUES (?, ?, ?, ?, '2026-11-01T09:30:00Z', ?, ?, ?)",
                    board, team, sequence, sequence * 10, type, name, removed);
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
