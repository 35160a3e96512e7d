package io.scoreboard.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;
import java.util.UUID;

/** A participant got a new name; the score is unchanged. */
@EventType(name = "ParticipantRenamed", version = 1)
public record ParticipantRenamedEvent(UUID scoreboardId, UUID participantId, String name,
        @JsonInclude(JsonInclude.Include.NON_NULL) UUID tokenId) implements ScoreboardEvent {

    @JsonCreator
    public ParticipantRenamedEvent {
        Objects.requireNonNull(scoreboardId, "scoreboardId");
        Objects.requireNonNull(participantId, "participantId");
        Objects.requireNonNull(name, "name");
    }

    /** The event as written before tokens were recorded, or by no token (tokenId absent). */
    public ParticipantRenamedEvent(UUID scoreboardId, UUID participantId, String name) {
        this(scoreboardId, participantId, name, null);
    }
}
