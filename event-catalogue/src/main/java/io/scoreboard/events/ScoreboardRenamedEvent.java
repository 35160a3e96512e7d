package io.scoreboard.events;

import java.util.Objects;
import java.util.UUID;

/** A scoreboard got a new name. */
@EventType(name = "ScoreboardRenamed", version = 1)
public record ScoreboardRenamedEvent(UUID scoreboardId, String name) implements ScoreboardEvent {

    public ScoreboardRenamedEvent {
        Objects.requireNonNull(scoreboardId, "scoreboardId");
        Objects.requireNonNull(name, "name");
    }
}
