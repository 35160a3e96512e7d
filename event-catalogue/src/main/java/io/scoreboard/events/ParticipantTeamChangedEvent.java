package io.scoreboard.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;
import java.util.UUID;

/**
 * A participant joined a team, moved to another, or left its team ({@code teamId} null). Its score moves with it:
 * a team's score is the sum of its members' scores.
 */
@EventType(name = "ParticipantTeamChanged", version = 1)
public record ParticipantTeamChangedEvent(UUID scoreboardId, UUID participantId, UUID teamId,
                                          @JsonInclude(JsonInclude.Include.NON_NULL) UUID tokenId)
        implements ScoreboardEvent {

    @JsonCreator
    public ParticipantTeamChangedEvent {
        Objects.requireNonNull(scoreboardId, "scoreboardId");
        Objects.requireNonNull(participantId, "participantId");
    }
}
