package io.scoreboard.projections.scoreboard;

import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreOrder;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
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
     * every statement is the board id.
     */
    private static final String RANKED = """
            WITH ranked AS (
                SELECT p.participant_id, p.name AS participant_name, p.score,
                       CASE s.ranking
                           WHEN 'DENSE'   THEN dense_rank() OVER by_score
                           WHEN 'ORDINAL' THEN row_number() OVER by_score_then_first
                           ELSE rank() OVER by_score
                       END AS participant_rank
                  FROM scoreboards s
                  JOIN participants p ON p.scoreboard_id = s.scoreboard_id AND NOT p.removed
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
     * empty list). The total is counted separately so that a page past the end still knows it.
     */
    private static final String BOARD_WITH = """
            SELECT s.scoreboard_id, s.name AS board_name, s.score_order, s.ranking, s.deleted, s.version,
                   s.last_position,
                   (SELECT count(*) FROM placed) AS board_total,
                   selected.participant_id, selected.participant_name, selected.score, selected.participant_rank
              FROM scoreboards s
              LEFT JOIN (%s) selected ON TRUE
             WHERE s.scoreboard_id = ?
             ORDER BY selected.place""";

    private static final String FIND_BOARD = RANKED + BOARD_WITH.formatted("SELECT * FROM placed");

    private static final String FIND_PAGE = RANKED + BOARD_WITH.formatted(
            "SELECT * FROM placed ORDER BY place LIMIT ? OFFSET ?");

    /* Empty selection when the participant is not (or no longer) on the board. */
    private static final String FIND_AROUND = RANKED + BOARD_WITH.formatted("""
            SELECT neighbour.* FROM placed target
              JOIN placed neighbour ON neighbour.place BETWEEN target.place - ? AND target.place + ?
             WHERE target.participant_id = ?""");

    /** The whole board, ranked; empty when the read model does not have it. */
    public Optional<ScoreboardView> find(Connection connection, UUID scoreboardId) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement(FIND_BOARD)) {
            p.setObject(1, scoreboardId);
            p.setObject(2, scoreboardId);
            return read(p).map(BoardSlice::board);
        }
    }

    /**
     * {@code limit} participants from {@code offset} (0-based) in rank order, ranked over the whole
     * board; the page is cut by the database, not here.
     */
    public Optional<BoardSlice> findPage(Connection connection, UUID scoreboardId, int limit, long offset)
            throws SQLException {
        try (PreparedStatement p = connection.prepareStatement(FIND_PAGE)) {
            p.setObject(1, scoreboardId);
            p.setInt(2, limit);
            p.setLong(3, offset);
            p.setObject(4, scoreboardId);
            return read(p);
        }
    }

    /**
     * The participant and up to {@code radius} participants before and after it in rank order. The
     * slice is empty when the board has no such current participant (unknown or removed).
     */
    public Optional<BoardSlice> findAround(Connection connection, UUID scoreboardId, UUID participantId, int radius)
            throws SQLException {
        try (PreparedStatement p = connection.prepareStatement(FIND_AROUND)) {
            p.setObject(1, scoreboardId);
            p.setInt(2, radius);
            p.setInt(3, radius);
            p.setObject(4, participantId);
            p.setObject(5, scoreboardId);
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
            List<RankedParticipant> participants = new ArrayList<>();
            do {
                UUID participantId = rs.getObject("participant_id", UUID.class);
                if (participantId != null) { // LEFT JOIN: nothing selected
                    participants.add(new RankedParticipant(participantId, rs.getString("participant_name"),
                            exact(rs.getBigDecimal("score")), rs.getLong("participant_rank")));
                }
            } while (rs.next());
            return Optional.of(new BoardSlice(
                    new ScoreboardView(id, name, order, ranking, deleted, version, lastPosition, participants),
                    total));
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

    /** numeric(19,4) comes back as 5.0000; clients get 5 (and 500, not 5E+2). */
    static BigDecimal exact(BigDecimal stored) {
        BigDecimal stripped = stored.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
