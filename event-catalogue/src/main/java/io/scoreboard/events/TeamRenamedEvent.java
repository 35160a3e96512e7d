package io.scoreboard.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;
import java.util.UUID;

/** A team got a new name; its members and their scores are unchanged. */
@EventType(name = "TeamRenamed", version = 1)
public record TeamRenamedEvent(UUID scoreboardId, UUID teamId, String name,
                               @JsonInclude(JsonInclude.Include.NON_NULL) UUID tokenId) implements ScoreboardEvent {

    @JsonCreator
    public TeamRenamedEvent {
        Objects.requireNonNull(scoreboardId, "scoreboardId");
        Objects.requireNonNull(teamId, "teamId");
        Objects.requireNonNull(name, "name");
    }
}
