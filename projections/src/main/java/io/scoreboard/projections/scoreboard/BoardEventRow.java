package io.scoreboard.projections.scoreboard;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.ExportedEvents;
import java.util.UUID;

/**
 * One {@code board_events} row: a board's event as its NDJSON export carries it ({@link ExportedEvents}: the
 * published envelope without token hashes), so the export streams stored lines and never the event store.
 */
public record BoardEventRow(UUID scoreboardId, long sequenceNumber, long position, String line) {

    static BoardEventRow of(EventEnvelope envelope) {
        return new BoardEventRow(envelope.scoreboardId(), envelope.sequenceNumber(), envelope.position(),
                ExportedEvents.line(envelope));
    }

    /** A 64-bit digest of every column (for {@link HistoryDigest}; not for security). */
    public long hash() {
        return HistoryDigest.hash(scoreboardId + "|" + sequenceNumber + "|" + position + "|" + line);
    }
}
