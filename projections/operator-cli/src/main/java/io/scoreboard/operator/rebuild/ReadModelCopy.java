package io.scoreboard.operator.rebuild;

import io.scoreboard.operator.cli.Progress;
import io.scoreboard.projections.scoreboard.BoardRow;
import io.scoreboard.projections.scoreboard.ParticipantRow;
import io.scoreboard.projections.scoreboard.ScoreboardRecomputation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * Writes a folded read model into a (new, empty) read-model schema with COPY: two streams, boards
 * then participants, instead of millions of single-row statements through the live path.
 */
final class ReadModelCopy {

    private static final int FLUSH_BYTES = 1 << 20;

    private ReadModelCopy() {}

    /** Copies every board of {@code model} into {@code schema}; returns the number of participant rows. */
    static long write(Connection c, String schema, ScoreboardRecomputation model, Progress progress)
            throws SQLException {
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        try (CsvCopy boards = new CsvCopy(copy.copyIn("COPY " + schema + ".scoreboards (scoreboard_id, name, "
                + "score_order, ranking, deleted, version, last_position, created_at, updated_at) FROM STDIN (FORMAT csv)"))) {
            model.forEachBoard(b -> {
                boards.field(b.scoreboardId()).text(b.name()).field(b.scoreOrder()).field(b.ranking())
                        .field(b.deleted()).field(b.version()).field(b.lastPosition()).field(b.createdAt())
                        .field(b.updatedAt()).endRow();
                progress.advance(1);
            });
        }
        long[] participants = {0};
        try (CsvCopy rows = new CsvCopy(copy.copyIn("COPY " + schema + ".participants (scoreboard_id, participant_id, "
                + "name, score, score_reached_position, removed, removed_at) FROM STDIN (FORMAT csv)"))) {
            model.forEachBoard(b -> {
                for (ParticipantRow p : b.participants()) {
                    rows.field(b.scoreboardId()).field(p.participantId()).text(p.name())
                            .field(p.score().toPlainString()).field(p.scoreReachedPosition()).field(p.removed())
                            .field(p.removedAt()).endRow();
                    participants[0]++;
                }
            });
        }
        return participants[0];
    }

    /**
     * One COPY ... FROM STDIN (FORMAT csv) stream. Text is always quoted (quotes doubled), so commas,
     * quotes and line breaks in names arrive intact; an unquoted empty field is NULL.
     */
    private static final class CsvCopy implements AutoCloseable {

        private final CopyIn in;
        private final StringBuilder row = new StringBuilder(256);
        private final StringBuilder buffer = new StringBuilder(FLUSH_BYTES + 4096);
        private boolean first = true;

        CsvCopy(CopyIn in) {
            this.in = in;
        }

        CsvCopy field(Object value) {
            separate();
            if (value instanceof Instant t) {
                row.append(t);
            } else if (value != null) {
                row.append(value);
            }
            return this;
        }

        CsvCopy text(String value) {
            separate();
            row.append('"').append(value.replace("\"", "\"\"")).append('"');
            return this;
        }

        void endRow() {
            buffer.append(row).append('\n');
            row.setLength(0);
            first = true;
            if (buffer.length() >= FLUSH_BYTES) {
                flush();
            }
        }

        private void separate() {
            if (!first) {
                row.append(',');
            }
            first = false;
        }

        private void flush() {
            byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
            try {
                in.writeToCopy(bytes, 0, bytes.length);
            } catch (SQLException e) {
                throw new UncheckedIOException(new IOException("COPY failed: " + e.getMessage(), e));
            }
            buffer.setLength(0);
        }

        @Override
        public void close() throws SQLException {
            try {
                flush();
            } catch (UncheckedIOException e) {
                if (in.isActive()) {
                    in.cancelCopy();
                }
                throw new SQLException(e.getCause().getMessage(), e);
            }
            in.endCopy();
        }
    }
}
