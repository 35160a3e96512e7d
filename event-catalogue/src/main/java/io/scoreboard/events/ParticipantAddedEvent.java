package io.scoreboard.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;
import java.util.UUID;

/** A participant joined a scoreboard with a score of zero. */
@EventType(name = "ParticipantAdded", version = 1)
public record ParticipantAddedEvent(UUID scoreboardId, UUID participantId, String name,
        @JsonInclude(JsonInclude.Include.NON_NULL) UUID tokenId)
        implements ScoreboardEvent {

    @JsonCreator
    public ParticipantAddedEvent {
        Objects.requireNonNull(scoreboardId, "scoreboardId");
        Objects.requireNonNull(participantId, "participantId");
        Objects.requireNonNull(name, "name");
    }

    /** The event as written before tokens were recorded, or by no token (tokenId absent). */
    public ParticipantAddedEvent(UUID scoreboardId, UUID participantId, String name) {
        this(scoreboardId, participantId, name, null);
    }
}
