package io.scoreboard.projections.scoreboard;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * One {@code participants} row, every column, in a form that compares equal whether it came from
 * the database or from memory: the score without trailing zeros, times at microsecond precision.
 * {@code teamId} is the participant's team now (null: none).
 */
public record ParticipantRow(UUID participantId, String name, BigDecimal score, long scoreReachedPosition,
                             boolean removed, Instant removedAt, UUID teamId) {

    public ParticipantRow {
        score = ScoreboardReader.exact(score);
        removedAt = BoardRow.micros(removedAt);
    }
}
