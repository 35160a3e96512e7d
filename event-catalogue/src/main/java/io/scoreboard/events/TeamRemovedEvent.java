package io.scoreboard.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;
import java.util.UUID;

/**
 * A team was removed: it is no longer listed or ranked, and nobody can join it again. Its members stay on the
 * board, without a team, by this event alone (no {@link ParticipantTeamChangedEvent} per member). A rewind to
 * before the removal brings it back ({@link RewoundTeam}).
 */
@EventType(name = "TeamRemoved", version = 1)
public record TeamRemovedEvent(UUID scoreboardId, UUID teamId,
                               @JsonInclude(JsonInclude.Include.NON_NULL) UUID tokenId) implements ScoreboardEvent {

    @JsonCreator
    public TeamRemovedEvent {
        Objects.requireNonNull(scoreboardId, "scoreboardId");
        Objects.requireNonNull(teamId, "teamId");
    }
}
