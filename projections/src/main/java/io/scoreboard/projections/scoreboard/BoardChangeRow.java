package io.scoreboard.projections.scoreboard;

import java.time.Instant;
import java.util.UUID;

/**
 * One {@code board_changes} row: the board's own columns after an event that changed them (or after
 * an undo), and the token that wrote the event ({@code tokenId}, null when it names none). Built the same way from the database and from memory, so equal rows hash equal.
 */
public record BoardChangeRow(UUID scoreboardId, long sequenceNumber, long position, Instant occurredAt,
                             String eventType, String name, String scoreOrder, String ranking, boolean deleted,
                             Long undoesSequenceNumber, UUID tokenId) {

    public BoardChangeRow {
        occurredAt = BoardRow.micros(occurredAt);
    }

    /** A 64-bit digest of every column (for {@link HistoryDigest}; not for security). */
    public long hash() {
        return HistoryDigest.hash(scoreboardId + "|" + sequenceNumber + "|" + position + "|" + occurredAt + "|"
                + eventType + "|" + name + "|" + scoreOrder + "|" + ranking + "|" + deleted + "|"
                + undoesSequenceNumber + "|" + tokenId);
    }
}
