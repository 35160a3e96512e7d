package io.scoreboard.operator.restore;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.EventJson;
import java.nio.charset.StandardCharsets;

/**
 * One event as a line of PostgreSQL's COPY text format for {@code domain_event_entry}, with every
 * column as the command service's Axon writes it: payload = {@link EventJson#writePayload} (what
 * its CatalogueEventSerializer stores), payload type and revision = the catalogue's name and
 * version, time stamp in Axon's format, aggregate type and metadata from {@link AxonFormats}.
 *
 * <p>The envelope carries the payload as a JSON tree, and Jackson's trees drop a decimal's trailing
 * zeros (0.0000 becomes 0). Payloads still come back byte for byte because the command service only
 * ever stores canonical decimals (Scores.canonical); EventStoreLossDrillIT compares real rows.
 */
final class EventRow {

    /** The columns of {@link #encode}, in order. */
    static final String COLUMNS = "global_index, event_identifier, aggregate_identifier, sequence_number, type, "
            + "time_stamp, payload_type, payload_revision, payload, meta_data";

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final String META_DATA = hex(AxonFormats.EMPTY_META_DATA);

    private EventRow() {}

    /**
     * Ids, type names and Axon's time stamps hold no tab, newline or backslash, so only the bytea
     * columns need COPY's escaping (a doubled backslash before their hex form).
     */
    static byte[] encode(EventEnvelope e) {
        byte[] payload = EventJson.writePayload(e.payload());
        StringBuilder line = new StringBuilder(160 + payload.length * 2);
        line.append(e.position()).append('\t')
                .append(e.eventId()).append('\t')
                .append(e.scoreboardId()).append('\t')
                .append(e.sequenceNumber()).append('\t')
                .append(AxonFormats.AGGREGATE_TYPE).append('\t')
                .append(AxonFormats.timestamp(e.occurredAt())).append('\t')
                .append(e.type()).append('\t')
                .append(e.typeVersion()).append('\t')
                .append("\\\\x");
        appendHex(line, payload);
        line.append('\t').append("\\\\x").append(META_DATA).append('\n');
        return line.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** 64-bit FNV-1a of the whole row: two copies of an event must agree in every column. */
    static long fingerprint(byte[] row) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : row) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    private static String hex(byte[] bytes) {
        StringBuilder s = new StringBuilder(bytes.length * 2);
        appendHex(s, bytes);
        return s.toString();
    }

    private static void appendHex(StringBuilder s, byte[] bytes) {
        for (byte b : bytes) {
            s.append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
        }
    }
}
