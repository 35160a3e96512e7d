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
     * One statement, so the board and its participants come from one snapshot. Ranks are computed
     * by the database: STANDARD = rank() ("1224"), DENSE = dense_rank() ("1223"), ORDINAL =
     * row_number() with ties going to whoever reached the score first ("1234"). The sort key
     * negates the score for HIGHEST_FIRST (exact for numeric) so one window serves both orders.
     * Removed participants keep their rows but are neither listed nor ranked (the join skips them).
     */
    private static final String FIND_BOARD = """
            SELECT s.scoreboard_id, s.name AS board_name, s.score_order, s.ranking, s.deleted, s.version,
                   s.last_position, p.participant_id, p.name AS participant_name, p.score,
                   CASE s.ranking
                       WHEN 'DENSE'   THEN dense_rank() OVER by_score
                       WHEN 'ORDINAL' THEN row_number() OVER by_score_then_first
                       ELSE rank() OVER by_score
                   END AS participant_rank
              FROM scoreboards s
              LEFT JOIN participants p ON p.scoreboard_id = s.scoreboard_id AND NOT p.removed
             WHERE s.scoreboard_id = ?
            WINDOW by_score AS (ORDER BY CASE WHEN s.score_order = 'LOWEST_FIRST' THEN p.score ELSE -p.score END),
                   by_score_then_first AS (
                       ORDER BY CASE WHEN s.score_order = 'LOWEST_FIRST' THEN p.score ELSE -p.score END,
                                p.score_reached_position, p.participant_id)
             ORDER BY participant_rank, p.name, p.participant_id""";

    public Optional<ScoreboardView> find(Connection connection, UUID scoreboardId) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement(FIND_BOARD)) {
            p.setObject(1, scoreboardId);
            try (ResultSet rs = p.executeQuery()) {
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
                List<RankedParticipant> participants = new ArrayList<>();
                do {
                    UUID participantId = rs.getObject("participant_id", UUID.class);
                    if (participantId != null) { // LEFT JOIN: a board without (current) participants
                        participants.add(new RankedParticipant(participantId, rs.getString("participant_name"),
                                exact(rs.getBigDecimal("score")), rs.getLong("participant_rank")));
                    }
                } while (rs.next());
                return Optional.of(new ScoreboardView(id, name, order, ranking, deleted, version, lastPosition,
                        participants));
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

    /** numeric(19,4) comes back as 5.0000; clients get 5 (and 500, not 5E+2). */
    static BigDecimal exact(BigDecimal stored) {
        BigDecimal stripped = stored.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
