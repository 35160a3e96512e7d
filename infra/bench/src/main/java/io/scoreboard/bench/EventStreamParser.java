package io.scoreboard.bench;

import java.nio.charset.StandardCharsets;

/**
 * A {@code text/event-stream} body read as a browser's EventSource reads it (the HTML standard's "event stream
 * interpretation"), fed with whatever bytes a socket read returned: lines end with LF, CR or CRLF (a CRLF may be
 * split between two reads), {@code event}, {@code data}, {@code id} and {@code retry} fields, comment lines
 * ({@code : heartbeat}) counted and skipped, an event dispatched at its blank line when it has data. The live
 * benchmark's viewers use it; it keeps no more than one line and one event's data.
 */
final class EventStreamParser {

    /** One dispatched event: its type ("message" when none was named), the last event id seen, its data. */
    @FunctionalInterface
    interface Listener {
        void event(String type, String id, String data);
    }

    private final Listener listener;
    private byte[] line = new byte[512];
    private int lineLength;
    private boolean afterCarriageReturn;
    private boolean firstLine = true;
    private String type = "";
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;
    private String lastEventId = "";
    private long retryMillis = -1;
    private long comments;

    EventStreamParser(Listener listener) {
        this.listener = listener;
    }

    void feed(byte[] bytes, int offset, int length) {
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            byte b = bytes[i];
            if (afterCarriageReturn) {
                afterCarriageReturn = false;
                if (b == '\n') {
                    continue; // the LF of a CRLF whose CR ended the line
                }
            }
            if (b == '\r') {
                endLine();
                afterCarriageReturn = true;
            } else if (b == '\n') {
                endLine();
            } else {
                if (lineLength == line.length) {
                    line = java.util.Arrays.copyOf(line, line.length * 2);
                }
                line[lineLength++] = b;
            }
        }
    }

    /** The last {@code retry:} value received, or -1. */
    long retryMillis() {
        return retryMillis;
    }

    /** Comment lines received (the stream's heartbeats). */
    long comments() {
        return comments;
    }

    private void endLine() {
        String text = new String(line, 0, lineLength, StandardCharsets.UTF_8);
        lineLength = 0;
        if (firstLine) {
            firstLine = false;
            if (text.startsWith("\uFEFF")) {
                text = text.substring(1); // a byte order mark may open the stream
            }
        }
        if (text.isEmpty()) {
            dispatch();
            return;
        }
        if (text.charAt(0) == ':') {
            comments++;
            return;
        }
        int colon = text.indexOf(':');
        String field = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? "" : text.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "event" -> type = value;
            case "data" -> {
                data.append(value).append('\n');
                hasData = true;
            }
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    lastEventId = value;
                }
            }
            case "retry" -> {
                if (!value.isEmpty() && value.chars().allMatch(Character::isDigit)) {
                    retryMillis = Long.parseLong(value);
                }
            }
            default -> { } // unknown fields are ignored
        }
    }

    private void dispatch() {
        if (!hasData) {
            type = ""; // an event without data is not dispatched
            return;
        }
        data.setLength(data.length() - 1); // the last data line's LF
        String eventType = type.isEmpty() ? "message" : type;
        String eventData = data.toString();
        type = "";
        data.setLength(0);
        hasData = false;
        listener.event(eventType, lastEventId, eventData);
    }
}
