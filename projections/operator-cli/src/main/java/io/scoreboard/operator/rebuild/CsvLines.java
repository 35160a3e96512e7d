package io.scoreboard.operator.rebuild;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import org.postgresql.copy.CopyIn;

/**
 * Rows in the CSV that {@code COPY ... FROM STDIN (FORMAT csv)} reads, written in 1 MiB chunks to a
 * COPY stream or a spool file. Text is always quoted (quotes doubled), so commas, quotes and line
 * breaks in names arrive intact; an unquoted empty field is NULL.
 */
final class CsvLines implements AutoCloseable {

    private static final int FLUSH_BYTES = 1 << 20;

    /** Where full chunks go. */
    interface Chunks {
        void write(byte[] bytes) throws IOException, SQLException;

        void end() throws IOException, SQLException;

        void abort() throws IOException, SQLException;
    }

    private final Chunks out;
    private final StringBuilder row = new StringBuilder(256);
    private final StringBuilder buffer = new StringBuilder(FLUSH_BYTES + 4096);
    private boolean first = true;

    private CsvLines(Chunks out) {
        this.out = out;
    }

    /** Rows for a running COPY; closing ends it (or cancels it when a chunk failed). */
    static CsvLines into(CopyIn copy) {
        return new CsvLines(new Chunks() {
            @Override
            public void write(byte[] bytes) throws SQLException {
                copy.writeToCopy(bytes, 0, bytes.length);
            }

            @Override
            public void end() throws SQLException {
                copy.endCopy();
            }

            @Override
            public void abort() throws SQLException {
                if (copy.isActive()) {
                    copy.cancelCopy();
                }
            }
        });
    }

    CsvLines field(Object value) {
        separate();
        if (value instanceof Instant t) {
            row.append(t);
        } else if (value != null) {
            row.append(value);
        }
        return this;
    }

    /** A text column; null stays NULL (unquoted empty), empty text stays empty text (quoted). */
    CsvLines text(String value) {
        separate();
        if (value != null) {
            row.append('"').append(value.replace("\"", "\"\"")).append('"');
        }
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
            out.write(bytes);
        } catch (IOException | SQLException e) {
            throw new UncheckedIOException(new IOException("writing rows failed: " + e.getMessage(), e));
        }
        buffer.setLength(0);
    }

    /** Gives up: a running COPY is cancelled (nothing of it is stored); safe to call after a failure. */
    void abort() {
        try {
            out.abort();
        } catch (IOException | SQLException | RuntimeException ignored) {
            // the failure that led here is the one to report
        }
    }

    @Override
    public void close() throws SQLException {
        try {
            flush();
            out.end();
        } catch (UncheckedIOException | IOException e) {
            try {
                out.abort();
            } catch (IOException ignored) {
                // the first failure is the one to report
            }
            Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
            throw new SQLException(cause.getMessage(), e);
        }
    }
}
