package io.scoreboard.operator.rebuild;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import org.postgresql.copy.CopyIn;

/**
 * Rows for {@code COPY ... FROM STDIN}, written in 1 MiB chunks to a COPY stream, in either of PostgreSQL's
 * formats. {@link Format#CSV}: text is always quoted (quotes doubled), so commas, quotes and line breaks in names
 * arrive intact; an unquoted empty field is NULL. {@link Format#TEXT}: tab-separated, {@code \N} is NULL, and only
 * backslashes, tabs and line breaks are escaped, so text full of quotes (the export lines' JSON) goes as it is:
 * doubling those quotes was the largest single cost of a rebuild's fold (BENCHMARKS.md).
 */
final class CopyLines implements AutoCloseable {

    /** The COPY format the rows are written in; {@link #statement} asks for the same. */
    enum Format {
        CSV, TEXT;

        /** {@code COPY <table> (<columns>) FROM STDIN} in this format. */
        String statement(String table, String columns) {
            return "COPY " + table + " (" + columns + ") FROM STDIN" + (this == CSV ? " (FORMAT csv)" : "");
        }
    }

    private static final int FLUSH_BYTES = 1 << 20;

    /** Where full chunks go. */
    interface Chunks {
        void write(byte[] bytes) throws IOException, SQLException;

        void end() throws IOException, SQLException;

        void abort() throws IOException, SQLException;
    }

    private final Chunks out;
    private final Format format;
    private final StringBuilder buffer = new StringBuilder(FLUSH_BYTES + 4096);
    private boolean first = true;

    private CopyLines(Chunks out, Format format) {
        this.out = out;
        this.format = format;
    }

    /** CSV rows for a running COPY ({@code FORMAT csv}); closing ends it (or cancels it when a chunk failed). */
    static CopyLines into(CopyIn copy) {
        return into(copy, Format.CSV);
    }

    /** Rows in {@code format} for a running COPY; closing ends it (or cancels it when a chunk failed). */
    static CopyLines into(CopyIn copy, Format format) {
        return new CopyLines(new Chunks() {
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
        }, format);
    }

    /** A value whose text needs no quoting or escaping (ids, numbers, instants, enum names); null is NULL. */
    CopyLines field(Object value) {
        separate();
        if (value instanceof Instant t) {
            buffer.append(t);
        } else if (value != null) {
            buffer.append(value);
        } else if (format == Format.TEXT) {
            buffer.append("\\N");
        }
        return this;
    }

    /** A text column; null stays NULL, empty text stays empty text. */
    CopyLines text(String value) {
        separate();
        if (value == null) {
            if (format == Format.TEXT) {
                buffer.append("\\N");
            }
        } else if (format == Format.CSV) {
            buffer.append('"');
            appendDoubled(value, '"');
            buffer.append('"');
        } else {
            appendEscaped(value);
        }
        return this;
    }

    void endRow() {
        buffer.append('\n');
        first = true;
        if (buffer.length() >= FLUSH_BYTES) {
            flush();
        }
    }

    private void separate() {
        if (!first) {
            buffer.append(format == Format.CSV ? ',' : '\t');
        }
        first = false;
    }

    private void appendDoubled(String value, char quote) {
        int from = 0;
        for (int i = value.indexOf(quote); i >= 0; i = value.indexOf(quote, i + 1)) {
            buffer.append(value, from, i + 1).append(quote);
            from = i + 1;
        }
        buffer.append(value, from, value.length());
    }

    /** The text format's escapes: backslash, and the characters that would end a field or a row. */
    private void appendEscaped(String value) {
        int from = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            String escape = switch (c) {
                case '\\' -> "\\\\";
                case '\t' -> "\\t";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                default -> null;
            };
            if (escape != null) {
                buffer.append(value, from, i).append(escape);
                from = i + 1;
            }
        }
        buffer.append(value, from, value.length());
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
