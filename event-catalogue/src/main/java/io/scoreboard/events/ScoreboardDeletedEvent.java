package io.scoreboard.events;

import java.util.Objects;
import java.util.UUID;

/** A soft delete: the board disappears from queries, its history stays and it can be restored. */
@EventType(name = "ScoreboardDeleted", version = 1)
public record ScoreboardDeletedEvent(UUID scoreboardId) implements ScoreboardEvent {

    public ScoreboardDeletedEvent {
        Objects.requireNonNull(scoreboardId, "scoreboardId");
    }
}
