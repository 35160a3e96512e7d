package io.scoreboard.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;
import java.util.UUID;

/** A board got a new team, with no members yet; {@code tokenId} is the admin token that created it. */
@EventType(name = "TeamCreated", version = 1)
public record TeamCreatedEvent(UUID scoreboardId, UUID teamId, String name,
                               @JsonInclude(JsonInclude.Include.NON_NULL) UUID tokenId) implements ScoreboardEvent {

    @JsonCreator
    public TeamCreatedEvent {
        Objects.requireNonNull(scoreboardId, "scoreboardId");
        Objects.requireNonNull(teamId, "teamId");
        Objects.requireNonNull(name, "name");
    }
}
