package io.scoreboard.events;

import java.util.UUID;

/** Every published event belongs to exactly one scoreboard (the Kafka key, the aggregate id). */
public sealed interface ScoreboardEvent
        permits ScoreboardCreatedEvent, ParticipantAddedEvent, ScoreChangedEvent {
    UUID scoreboardId();
}
