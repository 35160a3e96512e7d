package io.scoreboard.projections.scoreboard;

import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreOrder;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Reads the scoreboard read model. Lives next to the projection that writes it, so the table
 * shape is known in one module (query-service, the rebuild verifier and tests all read through it).
 */
public final class ScoreboardReader {

    /*
     * Every read is one statement, so the board and its participants come from one snapshot. Ranks
     * are computed by the database: STANDARD = rank() ("1224"), DENSE = dense_rank() ("1223"),
     * ORDINAL = row_number() with ties going to whoever reached the score first ("1234"). The sort
     * key negates the score for HIGHEST_FIRST (exact for numeric) so one window serves both orders.
     * Removed participants keep their rows but are neither listed nor ranked (the join skips them).
     * {@code place} is the participant's position in the listing (rank, then name, then id): a total
     * order, so pages and neighbourhoods are stable even among equal ranks. The first parameter of
     * every statement is the board id. Each participant carries its team (ADR 0046) and the position
     * its score was reached at, which the team standings rank with ({@link TeamStandingsReader}).
     */
    static final String RANKED = """
            ranked AS (
                SELECT p.participant_id, p.name AS participant_name, p.score, p.team_id, p.score_reached_position,
                       CASE s.ranking
                           WHEN 'DENSE'   THEN dense_rank() OVER by_score
                           WHEN 'ORDINAL' THEN row_number() OVER by_score_then_first
                           ELSE rank() OVER by_score
                       END AS participant_rank
                  FROM {boards} s
                  JOIN {participants} p ON p.scoreboard_id = s.scoreboard_id AND NOT p.removed
                 WHERE s.scoreboard_id = ?
                WINDOW by_score AS (ORDER BY CASE WHEN s.score_order = 'LOWEST_FIRST' THEN p.score ELSE -p.score END),
                       by_score_then_first AS (
                           ORDER BY CASE WHEN s.score_order = 'LOWEST_FIRST' THEN p.score ELSE -p.score END,
                                    p.score_reached_position, p.participant_id)
            ), placed AS (
                SELECT ranked.*,
                       row_number() OVER (ORDER BY participant_rank, participant_name, participant_id) AS place
                  FROM ranked
            )
            """;

    /*
     * The board row, joined to the selected participants (none: the board still answers, with an
     * empty list). The total is counted separately so that a page past the end still knows it. The
     * board's current teams come as two arrays, by name then id, computed once for the one board row.
     */
    private static final String BOARD_WITH = """
            SELECT s.scoreboard_id, s.name AS board_name, s.score_order, s.ranking, s.deleted, s.version,
                   s.last_position,
                   (SELECT count(*) FROM placed) AS board_total,
                   board_teams.team_ids, board_teams.team_names,
                   selected.participant_id, selected.participant_name, selected.score, selected.participant_rank,
                   selected.team_id
              FROM {boards} s
              LEFT JOIN LATERAL (
                  SELECT array_agg(t.team_id ORDER BY t.name, t.team_id) AS team_ids,
                         array_agg(t.name ORDER BY t.name, t.team_id) AS team_names
                    FROM {teams} t
                   WHERE t.scoreboard_id = s.scoreboard_id AND NOT t.removed) board_teams ON TRUE
              LEFT JOIN (%s) selected ON TRUE
             WHERE s.scoreboard_id = ?
             ORDER BY selected.place""";

    /*
     * The board as it stood at an instant, from the history tables alone (V5__history.sql): its
     * events stop at the first one that occurred after the instant (as `rebuild --until` does, so a
     * clock step cannot let a later event in), the board is its last board_changes row before that,
     * each participant its last participant_changes row. Shaped like the live tables, so the same
     * ranking applies. Its two parameters come first: board id, instant. Teams as they were: each
     * team's last team_changes row before the cut-off (a team event always leaves a board_changes row
     * too, so the cut-off and the version see it); a team created later has none.
     */
    private static final String AS_OF = """
            as_of AS (SELECT CAST(? AS uuid) AS board_id, CAST(? AS timestamptz) AS instant),
            cutoff AS (
                SELECT COALESCE(min(later.sequence_number), 9223372036854775807) AS sequence_number FROM (
                    SELECT b.sequence_number FROM board_changes b, as_of
                     WHERE b.scoreboard_id = as_of.board_id AND b.occurred_at > as_of.instant
                    UNION ALL
                    SELECT c.sequence_number FROM participant_changes c, as_of
                     WHERE c.scoreboard_id = as_of.board_id AND c.occurred_at > as_of.instant) later
            ),
            reached AS (
                SELECT max(before.sequence_number) AS version, max(before.position) AS last_position FROM (
                    SELECT b.sequence_number, b.position FROM board_changes b, as_of, cutoff
                     WHERE b.scoreboard_id = as_of.board_id AND b.sequence_number < cutoff.sequence_number
                    UNION ALL
                    SELECT c.sequence_number, c.position FROM participant_changes c, as_of, cutoff
                     WHERE c.scoreboard_id = as_of.board_id AND c.sequence_number < cutoff.sequence_number) before
            ),
            board_as_of AS (
                -- A board deleted now stays hidden at every instant (docs/api.md: a deleted board answers 404).
                SELECT b.scoreboard_id, b.name, b.score_order, b.ranking,
                       b.deleted OR COALESCE((SELECT s.deleted FROM scoreboards s WHERE s.scoreboard_id = b.scoreboard_id),
                                             FALSE) AS deleted,
                       reached.version, reached.last_position
                  FROM board_changes b, as_of, cutoff, reached
                 WHERE b.scoreboard_id = as_of.board_id AND b.sequence_number < cutoff.sequence_number
                 ORDER BY b.sequence_number DESC
                 LIMIT 1
            ),
            participants_as_of AS (
                SELECT DISTINCT ON (c.participant_id) c.scoreboard_id, c.participant_id, c.name, c.score,
                       c.score_reached_position, c.removed, c.team_id
                  FROM participant_changes c, as_of, cutoff
                 WHERE c.scoreboard_id = as_of.board_id AND c.sequence_number < cutoff.sequence_number
                 ORDER BY c.participant_id, c.sequence_number DESC
            ),
            teams_as_of AS (
                SELECT DISTINCT ON (t.team_id) t.scoreboard_id, t.team_id, t.name, t.removed
                  FROM team_changes t, as_of, cutoff
                 WHERE t.scoreboard_id = as_of.board_id AND t.sequence_number < cutoff.sequence_number
                 ORDER BY t.team_id, t.sequence_number DESC
            ),
            """;

    /*
     * Every current participant with the points it scored in a window instead of its score: the sum
     * of its score changes that occurred at or after the start and before the end. A change that was
     * undone never counts, and neither does the undo (an undone change did not happen, for a weekly
     * board as for the live one). ORDINAL ties go to whoever's last counted change came first.
     * Membership is today's: a team's window points are its current members' (ADR 0046).
     * Parameters first: board id, start, end.
     */
    private static final String WINDOW = """
            window_bounds AS (SELECT CAST(? AS uuid) AS board_id, CAST(? AS timestamptz) AS starts,
                                     CAST(? AS timestamptz) AS ends),
            points_in_window AS (
                SELECT c.participant_id, sum(c.delta) AS points, max(c.position) AS last_position
                  FROM participant_changes c, window_bounds w
                 WHERE c.scoreboard_id = w.board_id AND c.delta IS NOT NULL
                   AND c.occurred_at >= w.starts AND c.occurred_at < w.ends
                   AND c.event_type <> 'ScoreChangeUndone'
                   AND NOT EXISTS (SELECT 1 FROM board_changes u
                                    WHERE u.scoreboard_id = c.scoreboard_id
                                      AND u.undoes_sequence_number = c.sequence_number)
                 GROUP BY c.participant_id
            ),
            participants_in_window AS (
                SELECT p.scoreboard_id, p.participant_id, p.name, COALESCE(w.points, 0) AS score,
                       COALESCE(w.last_position, 0) AS score_reached_position, p.removed, p.team_id
                  FROM participants p
                  LEFT JOIN points_in_window w ON w.participant_id = p.participant_id
                 WHERE p.scoreboard_id = (SELECT board_id FROM window_bounds)
            ),
            """;

    private static final String PAGE = "SELECT * FROM placed ORDER BY place LIMIT ? OFFSET ?";

    /* Empty selection when the participant is not (or no longer) on the board. */
    private static final String AROUND = """
            SELECT neighbour.* FROM placed target
              JOIN placed neighbour ON neighbour.place BETWEEN target.place - ? AND target.place + ?
             WHERE target.participant_id = ?""";

    private static final java.util.Map<String, String> STATEMENTS = new java.util.concurrent.ConcurrentHashMap<>();

    /** The tables a read ranks for a {@link ReadScope}, and the scope's leading parameters. */
    record Tables(String with, String boards, String participants, String teams, ReadScope scope) {

        static Tables of(ReadScope scope) {
            if (scope instanceof ReadScope.AsOf) {
                return new Tables("WITH " + AS_OF, "board_as_of", "participants_as_of", "teams_as_of", scope);
            }
            if (scope instanceof ReadScope.Window) {
                return new Tables("WITH " + WINDOW, "scoreboards", "participants_in_window", "teams", scope);
            }
            return new Tables("WITH ", "scoreboards", "participants", "teams", scope);
        }

        /** The statement for {@code selection}; built once per shape. */
        String sql(String selection) {
            return shaped("board|" + selection, RANKED + BOARD_WITH.formatted(selection));
        }

        /** {@code statement} after the scope's WITH, its tables named for the scope; built once per shape. */
        String shaped(String shape, String statement) {
            return STATEMENTS.computeIfAbsent(participants + "|" + shape, key -> (with + statement)
                    .replace("{boards}", boards).replace("{participants}", participants).replace("{teams}", teams));
        }

        /** Binds the scope's parameters, if any; returns the next parameter index. */
        int bind(PreparedStatement p, UUID scoreboardId) throws SQLException {
            if (scope instanceof ReadScope.AsOf asOf) {
                p.setObject(1, scoreboardId);
                p.setObject(2, utc(asOf.instant()));
                return 3;
            }
            if (scope instanceof ReadScope.Window window) {
                p.setObject(1, scoreboardId);
                p.setObject(2, utc(window.from()));
                p.setObject(3, utc(window.to()));
                return 4;
            }
            return 1;
        }

        private static OffsetDateTime utc(Instant instant) {
            return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
        }
    }

    /** The whole board, ranked; empty when the read model does not have it. */
    public Optional<ScoreboardView> find(Connection connection, UUID scoreboardId) throws SQLException {
        return find(connection, scoreboardId, ReadScope.NOW);
    }

    /**
     * The whole board in {@code scope}, ranked by the rules it had then; empty when it did not exist
     * yet (or the read model does not have it).
     */
    public Optional<ScoreboardView> find(Connection connection, UUID scoreboardId, ReadScope scope)
            throws SQLException {
        Tables tables = Tables.of(scope);
        try (PreparedStatement p = connection.prepareStatement(tables.sql("SELECT * FROM placed"))) {
            int i = tables.bind(p, scoreboardId);
            p.setObject(i++, scoreboardId);
            p.setObject(i, scoreboardId);
            return read(p).map(BoardSlice::board);
        }
    }

    /**
     * {@code limit} participants from {@code offset} (0-based) in rank order, ranked over the whole
     * board; the page is cut by the database, not here.
     */
    public Optional<BoardSlice> findPage(Connection connection, UUID scoreboardId, int limit, long offset)
            throws SQLException {
        return findPage(connection, scoreboardId, limit, offset, ReadScope.NOW);
    }

    /** A page of the board in {@code scope}. */
    public Optional<BoardSlice> findPage(Connection connection, UUID scoreboardId, int limit, long offset,
                                         ReadScope scope) throws SQLException {
        Tables tables = Tables.of(scope);
        try (PreparedStatement p = connection.prepareStatement(tables.sql(PAGE))) {
            int i = tables.bind(p, scoreboardId);
            p.setObject(i++, scoreboardId);
            p.setInt(i++, limit);
            p.setLong(i++, offset);
            p.setObject(i, scoreboardId);
            return read(p);
        }
    }

    /**
     * The participant and up to {@code radius} participants before and after it in rank order. The
     * slice is empty when the board has no such current participant (unknown or removed).
     */
    public Optional<BoardSlice> findAround(Connection connection, UUID scoreboardId, UUID participantId, int radius)
            throws SQLException {
        return findAround(connection, scoreboardId, participantId, radius, ReadScope.NOW);
    }

    /** The neighbourhood in {@code scope}. */
    public Optional<BoardSlice> findAround(Connection connection, UUID scoreboardId, UUID participantId, int radius,
                                           ReadScope scope) throws SQLException {
        Tables tables = Tables.of(scope);
        try (PreparedStatement p = connection.prepareStatement(tables.sql(AROUND))) {
            int i = tables.bind(p, scoreboardId);
            p.setObject(i++, scoreboardId);
            p.setInt(i++, radius);
            p.setInt(i++, radius);
            p.setObject(i++, participantId);
            p.setObject(i, scoreboardId);
            return read(p);
        }
    }

    private static Optional<BoardSlice> read(PreparedStatement statement) throws SQLException {
        try (ResultSet rs = statement.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            UUID id = rs.getObject("scoreboard_id", UUID.class);
            String name = rs.getString("board_name");
            ScoreOrder order = ScoreOrder.valueOf(rs.getString("score_order"));
            Ranking ranking = Ranking.valueOf(rs.getString("ranking"));
            boolean deleted = rs.getBoolean("deleted");
            long version = rs.getLong("version");
            long lastPosition = rs.getLong("last_position");
            long total = rs.getLong("board_total");
            List<BoardTeam> teams = teams(rs);
            List<RankedParticipant> participants = new ArrayList<>();
            do {
                UUID participantId = rs.getObject("participant_id", UUID.class);
                if (participantId != null) { // LEFT JOIN: nothing selected
                    participants.add(new RankedParticipant(participantId, rs.getString("participant_name"),
                            exact(rs.getBigDecimal("score")), rs.getLong("participant_rank"),
                            rs.getObject("team_id", UUID.class)));
                }
            } while (rs.next());
            return Optional.of(new BoardSlice(
                    new ScoreboardView(id, name, order, ranking, deleted, version, lastPosition, participants, teams),
                    total));
        }
    }

    /** The board's current teams from the row's two arrays (NULL: none), in their order. */
    private static List<BoardTeam> teams(ResultSet rs) throws SQLException {
        java.sql.Array ids = rs.getArray("team_ids");
        if (ids == null) {
            return List.of();
        }
        Object[] teamIds = (Object[]) ids.getArray();
        Object[] names = (Object[]) rs.getArray("team_names").getArray();
        List<BoardTeam> teams = new ArrayList<>(teamIds.length);
        for (int i = 0; i < teamIds.length; i++) {
            teams.add(new BoardTeam((UUID) teamIds[i], (String) names[i]));
        }
        return teams;
    }

    /** The board's own columns (no participants, nothing ranked); empty when the read model does not have it. */
    public Optional<ScoreboardView> header(Connection connection, UUID scoreboardId) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement("""
                SELECT name, score_order, ranking, deleted, version, last_position
                  FROM scoreboards WHERE scoreboard_id = ?""")) {
            p.setObject(1, scoreboardId);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new ScoreboardView(scoreboardId, rs.getString(1),
                        ScoreOrder.valueOf(rs.getString(2)), Ranking.valueOf(rs.getString(3)), rs.getBoolean(4),
                        rs.getLong(5), rs.getLong(6), List.of()));
            }
        }
    }

    /** The board's highest applied position, or empty when the read model does not have the board. */
    public OptionalLong lastPosition(Connection connection, UUID scoreboardId) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement(
                "SELECT last_position FROM scoreboards WHERE scoreboard_id = ?")) {
            p.setObject(1, scoreboardId);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    /**
     * The board's version (the sequence number of its last applied event), or empty when the read
     * model does not have the board: one primary-key lookup, for callers that keep ranked boards.
     */
    public OptionalLong version(Connection connection, UUID scoreboardId) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement(
                "SELECT version FROM scoreboards WHERE scoreboard_id = ?")) {
            p.setObject(1, scoreboardId);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    /** The versions of those of {@code scoreboardIds} the read model has, in one statement. */
    public Map<UUID, Long> versions(Connection connection, Collection<UUID> scoreboardIds) throws SQLException {
        Map<UUID, Long> versions = new HashMap<>();
        if (scoreboardIds.isEmpty()) {
            return versions;
        }
        try (PreparedStatement p = connection.prepareStatement(
                "SELECT scoreboard_id, version FROM scoreboards WHERE scoreboard_id = ANY(?)")) {
            p.setArray(1, connection.createArrayOf("uuid", scoreboardIds.toArray()));
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    versions.put(rs.getObject(1, UUID.class), rs.getLong(2));
                }
            }
        }
        return versions;
    }

    /** numeric(19,4) comes back as 5.0000; clients get 5 (and 500, not 5E+2). */
    public static BigDecimal exact(BigDecimal stored) {
        BigDecimal stripped = stored.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
