package io.scoreboard.events;

import java.util.Objects;
import java.util.UUID;

/** A participant got a new name; the score is unchanged. */
@EventType(name = "ParticipantRenamed", version = 1)
public record ParticipantRenamedEvent(UUID scoreboardId, UUID participantId, String name) implements ScoreboardEvent {

    public ParticipantRenamedEvent {
        Objects.requireNonNull(scoreboardId, "scoreboardId");
        Objects.requireNonNull(participantId, "participantId");
        Objects.requireNonNull(name, "name");
    }
}
