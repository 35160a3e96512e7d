package io.scoreboard.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;
import java.util.UUID;

/** A participant left the board: no longer ranked, cannot score; its history stays. */
@EventType(name = "ParticipantRemoved", version = 1)
public record ParticipantRemovedEvent(UUID scoreboardId, UUID participantId,
        @JsonInclude(JsonInclude.Include.NON_NULL) UUID tokenId) implements ScoreboardEvent {

    @JsonCreator
    public ParticipantRemovedEvent {
        Objects.requireNonNull(scoreboardId, "scoreboardId");
        Objects.requireNonNull(participantId, "participantId");
    }

    /** The event as written before tokens were recorded, or by no token (tokenId absent). */
    public ParticipantRemovedEvent(UUID scoreboardId, UUID participantId) {
        this(scoreboardId, participantId, null);
    }
}
