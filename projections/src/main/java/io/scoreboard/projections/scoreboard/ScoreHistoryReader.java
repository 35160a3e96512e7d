package io.scoreboard.projections.scoreboard;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Reads the score changes of {@code participant_changes} (V5__history.sql) newest first, with the
 * undo marks of {@code board_changes}: which change a later undo reverted, which change an undo
 * reverts.
 */
public final class ScoreHistoryReader {

    /* Parameters: board, participant (null: all), participant again, from (inclusive), before (exclusive), limit. */
    private static final String CHANGES = """
            SELECT c.occurred_at, c.participant_id, c.name, c.event_type, c.delta, c.score, c.reason, c.position,
                   c.sequence_number,
                   EXISTS (SELECT 1 FROM board_changes u
                            WHERE u.scoreboard_id = c.scoreboard_id
                              AND u.undoes_sequence_number = c.sequence_number) AS undone,
                   (SELECT b.undoes_sequence_number FROM board_changes b
                     WHERE b.scoreboard_id = c.scoreboard_id AND b.sequence_number = c.sequence_number) AS undoes,
                   c.token_id, t.label
              FROM participant_changes c
              LEFT JOIN board_tokens t ON t.scoreboard_id = c.scoreboard_id AND t.token_id = c.token_id
             WHERE c.scoreboard_id = ? AND c.delta IS NOT NULL
               AND (CAST(? AS uuid) IS NULL OR c.participant_id = ?)
               AND c.position >= ? AND c.position < ?
             ORDER BY c.position DESC, c.participant_id
             LIMIT ?""";

    /** Whether the participant was ever on the board (a removed one keeps its history). */
    public boolean everOnBoard(Connection c, UUID scoreboardId, UUID participantId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT 1 FROM participants WHERE scoreboard_id = ? AND participant_id = ?")) {
            p.setObject(1, scoreboardId);
            p.setObject(2, participantId);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Up to {@code limit} score changes with a position below {@code before}, newest first, of one
     * participant or (null) of all. Whole events only: when the page would cut a round, the round
     * moves to the next page, unless it alone is larger than a page, then it comes whole.
     */
    public HistoryPage page(Connection c, UUID scoreboardId, UUID participantId, int limit, long before)
            throws SQLException {
        List<HistoryEntry> rows = query(c, scoreboardId, participantId, Long.MIN_VALUE, before, limit + 1L);
        if (rows.size() <= limit) {
            return new HistoryPage(rows, OptionalLong.empty());
        }
        long lastFitting = rows.get(limit - 1).position();
        if (rows.get(limit).position() != lastFitting) {
            return new HistoryPage(rows.subList(0, limit), OptionalLong.of(lastFitting));
        }
        // The event at lastFitting continues past the page.
        List<HistoryEntry> whole = rows.subList(0, limit).stream().filter(e -> e.position() != lastFitting).toList();
        if (!whole.isEmpty()) {
            return new HistoryPage(whole, OptionalLong.of(whole.get(whole.size() - 1).position()));
        }
        List<HistoryEntry> oneEvent = query(c, scoreboardId, participantId, lastFitting, lastFitting + 1, Long.MAX_VALUE);
        return new HistoryPage(oneEvent, OptionalLong.of(lastFitting));
    }

    private static List<HistoryEntry> query(Connection c, UUID scoreboardId, UUID participantId, long from,
                                            long before, long limit) throws SQLException {
        List<HistoryEntry> entries = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(CHANGES)) {
            p.setObject(1, scoreboardId);
            p.setObject(2, participantId);
            p.setObject(3, participantId);
            p.setLong(4, from);
            p.setLong(5, before);
            p.setLong(6, limit);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    entries.add(new HistoryEntry(rs.getTimestamp(1).toInstant(), rs.getObject(2, UUID.class),
                            rs.getString(3), rs.getString(4), ScoreboardReader.exact(rs.getBigDecimal(5)),
                            ScoreboardReader.exact(rs.getBigDecimal(6)), rs.getString(7), rs.getLong(8), rs.getLong(9),
                            rs.getBoolean(10), rs.getObject(11, Long.class), rs.getObject(12, UUID.class),
                            rs.getString(13)));
                }
            }
        }
        return entries;
    }
}
