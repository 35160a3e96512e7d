package io.scoreboard.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;
import java.util.UUID;

/** A soft delete: the board disappears from queries, its history stays and it can be restored. */
@EventType(name = "ScoreboardDeleted", version = 1)
public record ScoreboardDeletedEvent(UUID scoreboardId,
        @JsonInclude(JsonInclude.Include.NON_NULL) UUID tokenId) implements ScoreboardEvent {

    @JsonCreator
    public ScoreboardDeletedEvent {
        Objects.requireNonNull(scoreboardId, "scoreboardId");
    }

    /** The event as written before tokens were recorded, or by no token (tokenId absent). */
    public ScoreboardDeletedEvent(UUID scoreboardId) {
        this(scoreboardId, null);
    }
}
