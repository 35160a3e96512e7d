package io.scoreboard.operator.restore;

import java.sql.SQLException;
import java.util.Arrays;
import org.postgresql.copy.CopyIn;

/**
 * COPY text rows built straight into one reusable byte array and sent in large writes: at tens of
 * thousands of rows a second, building each row as a String first was half of the restore's CPU.
 * Only ASCII goes in (ids, numbers, Axon's time stamps, hex).
 */
final class CopyBuffer {

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final CopyIn copy;
    private final int flushAt;
    private byte[] bytes;
    private int length;

    CopyBuffer(CopyIn copy, int flushAt) {
        this.copy = copy;
        this.flushAt = flushAt;
        this.bytes = new byte[flushAt + (flushAt >> 2)];
    }

    CopyBuffer ascii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            bytes[length++] = (byte) s.charAt(i);
        }
        return this;
    }

    CopyBuffer number(long n) {
        return ascii(Long.toString(n));
    }

    /** A bytea value in COPY text format: the hex form, its backslash doubled for COPY. */
    CopyBuffer bytea(byte[] value) {
        ensure(4 + value.length * 2);
        bytes[length++] = '\\';
        bytes[length++] = '\\';
        bytes[length++] = 'x';
        for (byte b : value) {
            bytes[length++] = HEX[(b >> 4) & 0xf];
            bytes[length++] = HEX[b & 0xf];
        }
        return this;
    }

    CopyBuffer tab() {
        ensure(1);
        bytes[length++] = '\t';
        return this;
    }

    /** Ends a row; sends the buffer once it is full enough. */
    void endRow() throws SQLException {
        ensure(1);
        bytes[length++] = '\n';
        if (length >= flushAt) {
            flush();
        }
    }

    void flush() throws SQLException {
        if (length > 0) {
            copy.writeToCopy(bytes, 0, length);
            length = 0;
        }
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
