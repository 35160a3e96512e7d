package io.scoreboard.events;

import java.util.Objects;
import java.util.UUID;

/** A participant left the board: no longer ranked, cannot score; its history stays. */
@EventType(name = "ParticipantRemoved", version = 1)
public record ParticipantRemovedEvent(UUID scoreboardId, UUID participantId) implements ScoreboardEvent {

    public ParticipantRemovedEvent {
        Objects.requireNonNull(scoreboardId, "scoreboardId");
        Objects.requireNonNull(participantId, "participantId");
    }
}
