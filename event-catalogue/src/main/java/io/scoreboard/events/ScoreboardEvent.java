package io.scoreboard.events;

import java.util.UUID;

/** Every published event belongs to exactly one scoreboard (the Kafka key, the aggregate id). */
public sealed interface ScoreboardEvent
        permits ScoreboardCreatedEvent, ScoreboardRenamedEvent, RankingRulesChangedEvent, ScoreboardDeletedEvent,
        ScoreboardRestoredEvent, ParticipantAddedEvent, ParticipantRenamedEvent, ParticipantRemovedEvent,
        ScoreChangedEvent, RoundRecordedEvent, ScoreChangeUndoneEvent {
    UUID scoreboardId();
}
