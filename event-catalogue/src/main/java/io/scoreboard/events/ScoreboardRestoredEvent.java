package io.scoreboard.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;
import java.util.UUID;

/** A deleted board is back, exactly as it was. */
@EventType(name = "ScoreboardRestored", version = 1)
public record ScoreboardRestoredEvent(UUID scoreboardId,
        @JsonInclude(JsonInclude.Include.NON_NULL) UUID tokenId) implements ScoreboardEvent {

    @JsonCreator
    public ScoreboardRestoredEvent {
        Objects.requireNonNull(scoreboardId, "scoreboardId");
    }

    /** The event as written before tokens were recorded, or by no token (tokenId absent). */
    public ScoreboardRestoredEvent(UUID scoreboardId) {
        this(scoreboardId, null);
    }
}
