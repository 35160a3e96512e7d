package io.scoreboard.projections.scoreboard;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Every event of a board as its export carries it ({@code board_events}, V11), oldest first, up to the version the
 * board stood at when the export began: the lines of {@code GET …/events.ndjson}. Read as the score history's
 * export is (docs/adr/0025): in chunks of {@link ScoreHistoryExport#CHUNK} lines, each on a connection borrowed for
 * that chunk only and continuing after the last sequence number sent, so a client that reads slowly or not at all
 * holds no connection and no snapshot, and memory holds one chunk, however long the history.
 */
public final class BoardEventsExport {

    /** Receives the lines in order; may block on a slow client: nothing is held meanwhile. */
    @FunctionalInterface
    public interface LineSink {
        void accept(String line) throws IOException;
    }

    private static final String SELECT = """
            /* board events export */
            SELECT sequence_number, line FROM board_events
             WHERE scoreboard_id = ? AND sequence_number > ? AND sequence_number <= ?
             ORDER BY sequence_number
             LIMIT ?""";

    private final int chunk;

    public BoardEventsExport() {
        this(ScoreHistoryExport.CHUNK);
    }

    /** With another chunk size (tests: histories that straddle chunks). */
    public BoardEventsExport(int chunk) {
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be at least 1, got " + chunk);
        }
        this.chunk = chunk;
    }

    /**
     * Sends the board's events with sequence numbers up to {@code upToVersion} to {@code sink}, oldest first.
     *
     * @return how many were sent
     * @throws ScoreHistoryExport.HistoryMovedException when the read model lost the board's events meanwhile (a
     *         rebuild switched in): the lines sent are right, the rest cannot be read now
     */
    public long forEachLine(DataSource connections, UUID scoreboardId, long upToVersion, LineSink sink)
            throws SQLException, IOException {
        List<String> lines = new ArrayList<>(chunk);
        long after = -1;
        long sent = 0;
        while (true) {
            lines.clear();
            long last = after;
            try (Connection connection = connections.getConnection();
                 PreparedStatement statement = connection.prepareStatement(SELECT)) {
                statement.setObject(1, scoreboardId);
                statement.setLong(2, after);
                statement.setLong(3, upToVersion);
                statement.setInt(4, chunk);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        if (rs.getLong(1) != last + 1) {
                            throw moved(scoreboardId, last + 1, upToVersion);
                        }
                        last = rs.getLong(1);
                        lines.add(rs.getString(2));
                    }
                }
            }
            if (lines.size() < chunk && last != upToVersion) {
                throw moved(scoreboardId, last + 1, upToVersion); // all of them up to the version were there at the start
            }
            for (String line : lines) {
                sink.accept(line);
            }
            sent += lines.size();
            if (last == upToVersion) {
                return sent;
            }
            after = last;
        }
    }

    private static ScoreHistoryExport.HistoryMovedException moved(UUID scoreboardId, long missing, long version) {
        return new ScoreHistoryExport.HistoryMovedException("the read model holds no exported event " + missing
                + " of scoreboard " + scoreboardId + " (up to version " + version + "): it is being rebuilt, or it "
                + "predates the events export and needs one rebuild (./scoreboard rebuild) to fill it; export again "
                + "after that");
    }
}
