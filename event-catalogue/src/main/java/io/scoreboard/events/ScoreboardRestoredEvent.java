package io.scoreboard.events;

import java.util.Objects;
import java.util.UUID;

/** A deleted board is back, exactly as it was. */
@EventType(name = "ScoreboardRestored", version = 1)
public record ScoreboardRestoredEvent(UUID scoreboardId) implements ScoreboardEvent {

    public ScoreboardRestoredEvent {
        Objects.requireNonNull(scoreboardId, "scoreboardId");
    }
}
