package io.scoreboard.events;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A compensating event: reverts the score change or round with per-board sequence number
 * {@code undoneSequenceNumber}. The original stays in history; {@code deltas} are the reverting
 * changes (the originals negated) and the scores they led to.
 */
@EventType(name = "ScoreChangeUndone", version = 1)
public record ScoreChangeUndoneEvent(UUID scoreboardId, long undoneSequenceNumber, List<ScoreDelta> deltas)
        implements ScoreboardEvent {

    public ScoreChangeUndoneEvent {
        Objects.requireNonNull(scoreboardId, "scoreboardId");
        deltas = List.copyOf(Objects.requireNonNull(deltas, "deltas"));
    }
}
