package io.scoreboard.events;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** Several participants' scores changed together, atomically, as one round with a comment. */
@EventType(name = "RoundRecorded", version = 1)
public record RoundRecordedEvent(UUID scoreboardId, String comment, List<ScoreDelta> deltas) implements ScoreboardEvent {

    public RoundRecordedEvent {
        Objects.requireNonNull(scoreboardId, "scoreboardId");
        deltas = List.copyOf(Objects.requireNonNull(deltas, "deltas"));
    }
}
