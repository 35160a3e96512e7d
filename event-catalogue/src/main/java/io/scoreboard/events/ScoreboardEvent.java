package io.scoreboard.events;

import java.util.UUID;

/** Every published event belongs to exactly one scoreboard (the Kafka key, the aggregate id). */
public sealed interface ScoreboardEvent
        permits ScoreboardCreatedEvent, ScoreboardRenamedEvent, RankingRulesChangedEvent, ScoreboardDeletedEvent,
        ScoreboardRestoredEvent, ParticipantAddedEvent, ParticipantRenamedEvent, ParticipantRemovedEvent,
        ScoreChangedEvent, RoundRecordedEvent, ScoreChangeUndoneEvent, TokenIssuedEvent, TokenRevokedEvent,
        ScoreboardVisibilityChangedEvent, ScoreboardRewoundEvent, TeamCreatedEvent, TeamRenamedEvent, TeamRemovedEvent,
        ParticipantTeamChangedEvent {
    UUID scoreboardId();

    /**
     * The token that wrote this event, or null: events written before tokens were recorded, and a board's
     * creation (which needs no token), name none. Never invented for old events.
     */
    default UUID tokenId() {
        return null;
    }
}
