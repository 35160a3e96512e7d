package io.scoreboard.projections.scoreboard;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Every score change of a board (the {@code participant_changes} rows with a delta, V5__history.sql),
 * oldest first, handed over one at a time as PostgreSQL returns them. A board's history can hold
 * millions of changes, so it is read through a server-side cursor, {@link #FETCH_SIZE} rows per round
 * trip: memory holds one slice, never the whole history.
 */
public final class ScoreHistoryExport {

    /** Rows per round trip to PostgreSQL, and so the most rows held in memory at once. */
    public static final int FETCH_SIZE = 1000;

    /** Receives the changes in order; may block (e.g. on a slow client), the cursor just waits. */
    @FunctionalInterface
    public interface ChangeSink {
        void accept(HistoryEntry change) throws IOException;
    }

    /*
     * The comment names the statement in pg_stat_activity. "undone": a later undo names this change
     * (board_changes_undone index); "undoes": this row is part of an undo, which names the change it
     * reverts. Per board, positions rise with sequence numbers, so a participant's rows come in order
     * from the primary key and the whole board's from participant_changes_board_position.
     */
    private static final String SELECT = """
            /* score history export */
            SELECT c.occurred_at, c.participant_id, c.name, c.event_type, c.delta, c.score, c.reason, c.position,
                   c.sequence_number,
                   EXISTS (SELECT 1 FROM board_changes u
                            WHERE u.scoreboard_id = c.scoreboard_id
                              AND u.undoes_sequence_number = c.sequence_number) AS undone,
                   b.undoes_sequence_number
              FROM participant_changes c
              LEFT JOIN board_changes b ON b.scoreboard_id = c.scoreboard_id AND b.sequence_number = c.sequence_number
             WHERE c.scoreboard_id = ? AND c.delta IS NOT NULL""";

    /**
     * Opens the read-only transaction the export reads in. The PostgreSQL driver only uses a cursor
     * (fetch size) inside a transaction; without one it would load every row before returning the
     * first. The caller ends it (rollback: nothing was written) before it returns the connection.
     */
    public static void beginReadOnlyTransaction(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        connection.setReadOnly(true);
    }

    /**
     * Sends each score change of the board to {@code sink}, oldest first (by position; within a round
     * by participant id), in one statement and so from one snapshot. Filters, each optional (null):
     * one participant (also a removed one: its history stays), changes that occurred at or after
     * {@code from} and before {@code to}.
     *
     * @return how many changes were sent
     */
    public long forEachChange(Connection connection, UUID scoreboardId, UUID participantId, Instant from, Instant to,
                              ChangeSink sink) throws SQLException, IOException {
        if (connection.getAutoCommit()) {
            throw new IllegalStateException("the history export needs a transaction for its cursor: "
                    + "call beginReadOnlyTransaction first");
        }
        StringBuilder sql = new StringBuilder(SELECT);
        if (participantId != null) {
            sql.append("\n   AND c.participant_id = ?");
        }
        if (from != null) {
            sql.append("\n   AND c.occurred_at >= ?");
        }
        if (to != null) {
            sql.append("\n   AND c.occurred_at < ?");
        }
        sql.append(participantId != null ? "\n ORDER BY c.sequence_number" : "\n ORDER BY c.position, c.participant_id");
        try (PreparedStatement statement = connection.prepareStatement(sql.toString(),
                ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            statement.setFetchSize(FETCH_SIZE);
            int i = 1;
            statement.setObject(i++, scoreboardId);
            if (participantId != null) {
                statement.setObject(i++, participantId);
            }
            if (from != null) {
                statement.setObject(i++, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
            }
            if (to != null) {
                statement.setObject(i, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
            }
            long sent = 0;
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    sink.accept(new HistoryEntry(rs.getTimestamp(1).toInstant(), rs.getObject(2, UUID.class),
                            rs.getString(3), rs.getString(4), ScoreboardReader.exact(rs.getBigDecimal(5)),
                            ScoreboardReader.exact(rs.getBigDecimal(6)), rs.getString(7), rs.getLong(8),
                            rs.getLong(9), rs.getBoolean(10), rs.getObject(11, Long.class)));
                    sent++;
                }
            }
            return sent;
        }
    }
}
