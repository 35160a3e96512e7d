package io.scoreboard.bench;

/**
 * An HTTP/1.1 {@code Transfer-Encoding: chunked} body decoded as it arrives, in pieces of any size: the data of each
 * chunk goes to the sink, the size lines (extensions ignored), the CRLF after each chunk and the trailer after the
 * last do not. The live stream is sent with {@code Connection: close} and so is usually not chunked; a viewer
 * decodes it when the answer says it is.
 */
final class ChunkedBody {

    /** Where decoded bytes go. */
    @FunctionalInterface
    interface Sink {
        void accept(byte[] bytes, int offset, int length);
    }

    private enum State { SIZE, EXTENSION, DATA, AFTER_DATA, DONE }

    private final Sink sink;
    private State state = State.SIZE;
    private long remaining;
    private boolean sizeHasDigit;

    ChunkedBody(Sink sink) {
        this.sink = sink;
    }

    /** True once the last (empty) chunk arrived: the body is complete. */
    boolean done() {
        return state == State.DONE;
    }

    /** @throws IllegalStateException when the bytes are not a chunked body */
    void feed(byte[] bytes, int offset, int length) {
        int i = offset;
        int end = offset + length;
        while (i < end) {
            switch (state) {
                case SIZE, EXTENSION -> {
                    byte c = bytes[i++];
                    if (c == '\n') {
                        if (!sizeHasDigit) {
                            throw new IllegalStateException("a chunk size line without a size");
                        }
                        sizeHasDigit = false;
                        state = remaining == 0 ? State.DONE : State.DATA;
                    } else if (state == State.EXTENSION || c == '\r' || c == ' ' || c == '\t') {
                        // skipped: an extension, or the CR of the line's CRLF
                    } else if (c == ';') {
                        state = State.EXTENSION;
                    } else {
                        int digit = Character.digit(c, 16);
                        if (digit < 0 || remaining > (Long.MAX_VALUE >> 4)) {
                            throw new IllegalStateException("not a chunk size: byte " + c);
                        }
                        remaining = remaining * 16 + digit;
                        sizeHasDigit = true;
                    }
                }
                case DATA -> {
                    int n = (int) Math.min(remaining, end - i);
                    sink.accept(bytes, i, n);
                    i += n;
                    remaining -= n;
                    if (remaining == 0) {
                        state = State.AFTER_DATA;
                    }
                }
                case AFTER_DATA -> {
                    byte c = bytes[i++];
                    if (c == '\n') {
                        state = State.SIZE;
                    } else if (c != '\r') {
                        throw new IllegalStateException("a chunk's data longer than its size");
                    }
                }
                case DONE -> {
                    return; // trailers, then nothing: the stream has ended
                }
            }
        }
    }
}
