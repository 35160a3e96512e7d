package io.scoreboard.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;
import java.util.UUID;

/** A board became private or public again; {@code tokenId} is the admin token that changed it. */
@EventType(name = "ScoreboardVisibilityChanged", version = 1)
public record ScoreboardVisibilityChangedEvent(UUID scoreboardId, Visibility visibility,
                                               @JsonInclude(JsonInclude.Include.NON_NULL) UUID tokenId)
        implements ScoreboardEvent {

    @JsonCreator
    public ScoreboardVisibilityChangedEvent {
        Objects.requireNonNull(scoreboardId, "scoreboardId");
        Objects.requireNonNull(visibility, "visibility");
    }
}
