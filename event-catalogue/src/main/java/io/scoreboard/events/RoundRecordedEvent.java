package io.scoreboard.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** Several participants' scores changed together, atomically, as one round with a comment. */
@EventType(name = "RoundRecorded", version = 1)
public record RoundRecordedEvent(UUID scoreboardId, String comment, List<ScoreDelta> deltas,
        @JsonInclude(JsonInclude.Include.NON_NULL) UUID tokenId) implements ScoreboardEvent {

    @JsonCreator
    public RoundRecordedEvent {
        Objects.requireNonNull(scoreboardId, "scoreboardId");
        deltas = List.copyOf(Objects.requireNonNull(deltas, "deltas"));
    }

    /** The event as written before tokens were recorded, or by no token (tokenId absent). */
    public RoundRecordedEvent(UUID scoreboardId, String comment, List<ScoreDelta> deltas) {
        this(scoreboardId, comment, deltas, null);
    }
}
