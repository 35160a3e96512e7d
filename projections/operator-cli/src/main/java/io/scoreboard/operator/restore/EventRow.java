package io.scoreboard.operator.restore;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.EventJson;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.sql.SQLException;

/**
 * One event as a row of {@code domain_event_entry}, every column as the command service's Axon
 * writes it: payload = {@link EventJson#writePayload} (what its CatalogueEventSerializer stores),
 * payload type and revision = the catalogue's name and version, time stamp in Axon's format,
 * aggregate type and metadata from {@link AxonFormats}.
 *
 * <p>The envelope carries the payload as a JSON tree, and Jackson's trees drop a decimal's trailing
 * zeros (0.0000 becomes 0). Payloads still come back byte for byte because the command service only
 * ever stores canonical decimals (Scores.canonical); EventStoreLossDrillIT compares real rows.
 */
final class EventRow {

    /** The columns {@link #write} fills, in order. */
    static final String COLUMNS = "global_index, event_identifier, aggregate_identifier, sequence_number, type, "
            + "time_stamp, payload_type, payload_revision, payload, meta_data";

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final EventEnvelope event;
    private final byte[] payload;

    EventRow(EventEnvelope event) {
        this.event = event;
        this.payload = EventJson.writePayload(event.payload());
    }

    /**
     * Ids, type names and Axon's time stamps hold no tab, newline or backslash, so only the bytea
     * columns need COPY's escaping.
     */
    void write(CopyBuffer row) throws SQLException {
        row.number(event.position()).tab()
                .ascii(event.eventId().toString()).tab()
                .ascii(event.scoreboardId().toString()).tab()
                .number(event.sequenceNumber()).tab()
                .ascii(AxonFormats.AGGREGATE_TYPE).tab()
                .ascii(AxonFormats.timestamp(event.occurredAt())).tab()
                .ascii(event.type()).tab()
                .number(event.typeVersion()).tab()
                .bytea(payload).tab()
                .bytea(AxonFormats.EMPTY_META_DATA)
                .endRow();
    }

    /**
     * 64 bits over every column that can differ between two copies of one event id: two copies must
     * agree in all of them. Reads the payload eight bytes at a time; this runs once per record.
     */
    long fingerprint() {
        long h = mix(event.position()) ^ Long.rotateLeft(mix(event.sequenceNumber()), 17)
                ^ Long.rotateLeft(mix(event.occurredAt().toEpochMilli()), 31)
                ^ Long.rotateLeft(mix(event.scoreboardId().getMostSignificantBits()), 43)
                ^ Long.rotateLeft(mix(event.scoreboardId().getLeastSignificantBits()), 53)
                ^ mix(event.type().hashCode() * 31L + event.typeVersion());
        int i = 0;
        for (; i + 8 <= payload.length; i += 8) {
            h = mix(h ^ (long) LONGS.get(payload, i));
        }
        for (; i < payload.length; i++) {
            h = mix(h ^ payload[i]);
        }
        return mix(h ^ payload.length);
    }

    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
