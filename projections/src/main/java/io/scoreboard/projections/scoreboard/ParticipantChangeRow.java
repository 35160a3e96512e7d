package io.scoreboard.projections.scoreboard;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * One {@code participant_changes} row: a participant after an event that changed it, with the score
 * change ({@code delta}, null for a rename, an add or a removal), its reason or round comment, and the token
 * that wrote the event ({@code tokenId}, null when it names none), and the participant's team after the event
 * ({@code teamId}, null: none; a score change leaves it as it was).
 * Built the same way from the database and from memory, so equal rows hash equal.
 */
public record ParticipantChangeRow(UUID scoreboardId, UUID participantId, long sequenceNumber, long position,
                                   Instant occurredAt, String eventType, BigDecimal delta, String reason,
                                   String name, BigDecimal score, long scoreReachedPosition, boolean removed,
                                   UUID tokenId, UUID teamId) {

    public ParticipantChangeRow {
        occurredAt = BoardRow.micros(occurredAt);
        delta = delta == null ? null : ScoreboardReader.exact(delta);
        score = ScoreboardReader.exact(score);
    }

    /** The row for an event that left {@code after} as the participant's state. */
    static ParticipantChangeRow of(io.scoreboard.events.EventEnvelope e, ParticipantRow after, BigDecimal delta,
                                   String reason) {
        return new ParticipantChangeRow(e.scoreboardId(), after.participantId(), e.sequenceNumber(), e.position(),
                e.occurredAt(), e.type(), delta, reason, after.name(), after.score(), after.scoreReachedPosition(),
                after.removed(), e.payload().tokenId(), after.teamId());
    }

    /** A 64-bit digest of every column (for {@link HistoryDigest}; not for security). */
    public long hash() {
        return HistoryDigest.hash(scoreboardId + "|" + participantId + "|" + sequenceNumber + "|" + position + "|"
                + occurredAt + "|" + eventType + "|" + (delta == null ? null : delta.toPlainString()) + "|" + reason
                + "|" + name + "|" + score.toPlainString() + "|" + scoreReachedPosition + "|" + removed + "|" + tokenId
                + "|" + teamId);
    }
}
