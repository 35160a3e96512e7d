package io.scoreboard.events;

import java.util.Objects;
import java.util.UUID;

/** A participant joined a scoreboard with a score of zero. */
@EventType(name = "ParticipantAdded", version = 1)
public record ParticipantAddedEvent(UUID scoreboardId, UUID participantId, String name)
        implements ScoreboardEvent {

    public ParticipantAddedEvent {
        Objects.requireNonNull(scoreboardId, "scoreboardId");
        Objects.requireNonNull(participantId, "participantId");
        Objects.requireNonNull(name, "name");
    }
}
