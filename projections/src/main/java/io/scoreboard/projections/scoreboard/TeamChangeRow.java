package io.scoreboard.projections.scoreboard;

import io.scoreboard.events.EventEnvelope;
import java.time.Instant;
import java.util.UUID;

/**
 * One {@code team_changes} row: a team after an event that changed it (TeamCreated, TeamRenamed, TeamRemoved, a
 * rewind that set it), and the token that wrote the event ({@code tokenId}, null when it names none). Built the
 * same way from the database and from memory, so equal rows hash equal.
 */
public record TeamChangeRow(UUID scoreboardId, UUID teamId, long sequenceNumber, long position, Instant occurredAt,
                            String eventType, String name, boolean removed, UUID tokenId) {

    public TeamChangeRow {
        occurredAt = BoardRow.micros(occurredAt);
    }

    /** The row for an event that left {@code after} as the team's state. */
    static TeamChangeRow of(EventEnvelope e, TeamRow after) {
        return new TeamChangeRow(e.scoreboardId(), after.teamId(), e.sequenceNumber(), e.position(), e.occurredAt(),
                e.type(), after.name(), after.removed(), e.payload().tokenId());
    }

    /** A 64-bit digest of every column (for {@link HistoryDigest}; not for security). */
    public long hash() {
        return HistoryDigest.hash(scoreboardId + "|" + teamId + "|" + sequenceNumber + "|" + position + "|"
                + occurredAt + "|" + eventType + "|" + name + "|" + removed + "|" + tokenId);
    }
}
