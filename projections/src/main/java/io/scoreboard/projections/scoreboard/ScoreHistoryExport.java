package io.scoreboard.projections.scoreboard;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Every score change of a board (the {@code participant_changes} rows with a delta, V5__history.sql),
 * oldest first, up to the position the board stood at when the export began.
 *
 * <p>Read in chunks of {@link #CHUNK} rows, each its own short transaction on a connection borrowed for
 * that chunk only, continuing after the last row sent (keyset). An export is as slow as its
 * client, and a client may not read at all: it must hold no connection and no transaction while it
 * waits (docs/adr/0025). An open snapshot stops PostgreSQL from pruning the dead versions of every row
 * the projection updates meanwhile (board versions, checkpoints), so a few stalled exports made every
 * projection transaction and checkpoint read walk ever longer version chains. The chunks still add up
 * to one consistent history: rows are only ever appended, a board's rows arrive in position order,
 * and every chunk stops at the position read at the start (an undo after it does not mark a change as
 * undone either). Memory holds one chunk, never the whole history.
 */
public final class ScoreHistoryExport {

    /** Rows per statement, and so the most rows held in memory at once. */
    public static final int CHUNK = 1000;

    /** Receives the changes in order; may block (e.g. on a slow client): no connection is held meanwhile. */
    @FunctionalInterface
    public interface ChangeSink {
        void accept(HistoryEntry change) throws IOException;
    }

    /**
     * The read model no longer holds the board at the position the export started from (it was dropped
     * and is being rebuilt, or the board vanished): the rows read so far are right, the rest cannot be
     * read now. Nothing after it would be complete, so the export must end as failed.
     */
    public static final class HistoryMovedException extends RuntimeException {
        HistoryMovedException(String message) {
            super(message);
        }
    }

    /*
     * The comment names the statement in pg_stat_activity. "undone": an undo up to the bound names this
     * change (board_changes_undone index); "undoes": this row is part of an undo, which names the change
     * it reverts. A participant's rows come in order from the primary key, the whole board's from
     * participant_changes_board_position_participant (V7), each chunk an index range after the last row.
     */
    private static final String SELECT = """
            /* score history export */
            SELECT c.occurred_at, c.participant_id, c.name, c.event_type, c.delta, c.score, c.reason, c.position,
                   c.sequence_number,
                   EXISTS (SELECT 1 FROM board_changes u
                            WHERE u.scoreboard_id = c.scoreboard_id
                              AND u.undoes_sequence_number = c.sequence_number
                              AND u.position <= ?) AS undone,
                   b.undoes_sequence_number, c.token_id, t.label
              FROM participant_changes c
              LEFT JOIN board_changes b ON b.scoreboard_id = c.scoreboard_id AND b.sequence_number = c.sequence_number
              LEFT JOIN board_tokens t ON t.scoreboard_id = c.scoreboard_id AND t.token_id = c.token_id
             WHERE c.scoreboard_id = ? AND c.delta IS NOT NULL AND c.position <= ?""";

    private final int chunk;

    public ScoreHistoryExport() {
        this(CHUNK);
    }

    /** With another chunk size (tests: rounds that straddle chunks). */
    public ScoreHistoryExport(int chunk) {
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be at least 1, got " + chunk);
        }
        this.chunk = chunk;
    }

    /**
     * Sends each score change of the board up to position {@code upTo} (the board's last position when
     * the export began) to {@code sink}, oldest first: by position, within a round by participant id;
     * one participant's by sequence number. Filters, each optional (null): one participant (also a
     * removed one: its history stays), changes that occurred at or after {@code from} and before
     * {@code to}.
     *
     * @return how many changes were sent
     * @throws HistoryMovedException when the read model lost the board's history meanwhile (a rebuild)
     */
    public long forEachChange(DataSource connections, UUID scoreboardId, long upTo, UUID participantId, Instant from,
                              Instant to, ChangeSink sink) throws SQLException, IOException {
        String sql = statement(participantId != null, from != null, to != null);
        List<HistoryEntry> rows = new ArrayList<>(chunk);
        HistoryEntry last = null;
        long sent = 0;
        while (true) {
            rows.clear();
            try (Connection connection = connections.getConnection()) {
                readChunkInOrder(connection, sql, scoreboardId, upTo, participantId, from, to, last, rows);
                if (rows.size() < chunk) {
                    // The end, unless the rows were being rebuilt under us: then the board is not (yet) where it was.
                    checkBoardStillAt(connection, scoreboardId, upTo);
                }
            }
            for (HistoryEntry row : rows) {
                sink.accept(row); // may wait for the client for as long as it likes: nothing is held
            }
            sent += rows.size();
            if (rows.size() < chunk) {
                return sent;
            }
            last = rows.get(rows.size() - 1);
        }
    }

    private String statement(boolean oneParticipant, boolean since, boolean until) {
        StringBuilder sql = new StringBuilder(SELECT);
        if (oneParticipant) {
            sql.append("\n   AND c.participant_id = ?");
        }
        if (since) {
            sql.append("\n   AND c.occurred_at >= ?");
        }
        if (until) {
            sql.append("\n   AND c.occurred_at < ?");
        }
        // After the last row sent; the first chunk passes a key before every row.
        sql.append(oneParticipant ? "\n   AND c.sequence_number > ?\n ORDER BY c.sequence_number"
                : "\n   AND (c.position, c.participant_id) > (?, ?)\n ORDER BY c.position, c.participant_id");
        return sql.append("\n LIMIT ").append(chunk).toString();
    }

    /**
     * One chunk in a transaction of its own, with sorting off: the rows' order must come from walking the
     * index, whatever the table's statistics say. Without statistics (a fresh or rebuilt read model that no
     * ANALYZE has seen yet) PostgreSQL guessed 13 rows for a board of 60,000 and chose to fetch and sort all of
     * the board's remaining history for every chunk: 138 ms and 1,135 buffers a chunk instead of 1.5 ms and 32,
     * and an export's cost growing with the square of its length.
     */
    private static void readChunkInOrder(Connection connection, String sql, UUID scoreboardId, long upTo,
                                         UUID participantId, Instant from, Instant to, HistoryEntry after,
                                         List<HistoryEntry> rows) throws SQLException {
        connection.setAutoCommit(false);
        try {
            try (Statement settings = connection.createStatement()) {
                settings.execute("SET LOCAL enable_sort = off");
            }
            readChunk(connection, sql, scoreboardId, upTo, participantId, from, to, after, rows);
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private static void readChunk(Connection connection, String sql, UUID scoreboardId, long upTo, UUID participantId,
                                  Instant from, Instant to, HistoryEntry after, List<HistoryEntry> rows)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int i = 1;
            statement.setLong(i++, upTo);
            statement.setObject(i++, scoreboardId);
            statement.setLong(i++, upTo);
            if (participantId != null) {
                statement.setObject(i++, participantId);
            }
            if (from != null) {
                statement.setObject(i++, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
            }
            if (to != null) {
                statement.setObject(i++, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
            }
            if (participantId != null) {
                statement.setLong(i, after == null ? Long.MIN_VALUE : after.sequenceNumber());
            } else {
                statement.setLong(i++, after == null ? Long.MIN_VALUE : after.position());
                statement.setObject(i, after == null ? new UUID(0, 0) : after.participantId());
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.add(new HistoryEntry(rs.getTimestamp(1).toInstant(), rs.getObject(2, UUID.class),
                            rs.getString(3), rs.getString(4), ScoreboardReader.exact(rs.getBigDecimal(5)),
                            ScoreboardReader.exact(rs.getBigDecimal(6)), rs.getString(7), rs.getLong(8),
                            rs.getLong(9), rs.getBoolean(10), rs.getObject(11, Long.class),
                            rs.getObject(12, UUID.class), rs.getString(13)));
                }
            }
        }
    }

    private static void checkBoardStillAt(Connection connection, UUID scoreboardId, long upTo) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT last_position FROM scoreboards WHERE scoreboard_id = ?")) {
            statement.setObject(1, scoreboardId);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next() || rs.getLong(1) < upTo) {
                    throw new HistoryMovedException("the read model no longer holds scoreboard " + scoreboardId
                            + " at position " + upTo + " (it is being rebuilt?): the history export stopped before "
                            + "its end; export again once the read model has caught up");
                }
            }
        }
    }
}
