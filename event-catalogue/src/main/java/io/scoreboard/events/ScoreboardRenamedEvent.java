package io.scoreboard.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;
import java.util.UUID;

/** A scoreboard got a new name. */
@EventType(name = "ScoreboardRenamed", version = 1)
public record ScoreboardRenamedEvent(UUID scoreboardId, String name,
        @JsonInclude(JsonInclude.Include.NON_NULL) UUID tokenId) implements ScoreboardEvent {

    @JsonCreator
    public ScoreboardRenamedEvent {
        Objects.requireNonNull(scoreboardId, "scoreboardId");
        Objects.requireNonNull(name, "name");
    }

    /** The event as written before tokens were recorded, or by no token (tokenId absent). */
    public ScoreboardRenamedEvent(UUID scoreboardId, String name) {
        this(scoreboardId, name, null);
    }
}
