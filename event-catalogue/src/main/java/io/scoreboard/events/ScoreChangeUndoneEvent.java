package io.scoreboard.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A compensating event: reverts the score change or round with per-board sequence number
 * {@code undoneSequenceNumber}. The original stays in history; {@code deltas} are the reverting
 * changes (the originals negated) and the scores they led to.
 */
@EventType(name = "ScoreChangeUndone", version = 1)
public record ScoreChangeUndoneEvent(UUID scoreboardId, long undoneSequenceNumber, List<ScoreDelta> deltas,
        @JsonInclude(JsonInclude.Include.NON_NULL) UUID tokenId)
        implements ScoreboardEvent {

    @JsonCreator
    public ScoreChangeUndoneEvent {
        Objects.requireNonNull(scoreboardId, "scoreboardId");
        deltas = List.copyOf(Objects.requireNonNull(deltas, "deltas"));
    }

    /** The event as written before tokens were recorded, or by no token (tokenId absent). */
    public ScoreChangeUndoneEvent(UUID scoreboardId, long undoneSequenceNumber, List<ScoreDelta> deltas) {
        this(scoreboardId, undoneSequenceNumber, deltas, null);
    }
}
