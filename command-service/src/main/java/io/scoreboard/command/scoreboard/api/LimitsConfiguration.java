package io.scoreboard.command.scoreboard.api;

import io.scoreboard.command.scoreboard.ScoreboardLimits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.axonframework.eventsourcing.eventstore.AbstractEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.util.unit.DataSize;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.validation.annotation.Validated;

/** The board limits from configuration, as the resource the aggregate's handlers receive. */
@Configuration(proxyBeanMethods = false)
class LimitsConfiguration {

    /**
     * @param maxParticipants how many active participants one board may hold (scoreboard.limits.max-participants)
     * @param maxTokens       how many working (not revoked) tokens one board may hold (scoreboard.limits.max-tokens);
     *                        a write with an unknown token is compared against each of them
     * @param maxTeams        how many teams (not removed) one board may hold (scoreboard.limits.max-teams)
     * @param maxEventSize    the largest stored event (its payload); a command that would store a larger one is
     *                        refused with 422 before anything is stored, and the replicator's Kafka limits must take
     *                        it; it must take the largest event one write with the longest names makes (both
     *                        checked at start-up, ReplicationLimitsCheck)
     */
    @Validated
    @ConfigurationProperties("scoreboard.limits")
    record LimitsProperties(@DefaultValue("10000") @Min(1) @Max(100_000) int maxParticipants,
                            @DefaultValue("512KB") @NotNull DataSize maxEventSize,
                            @DefaultValue("100") @Min(2) @Max(1_000) int maxTokens,
                            @DefaultValue("1000") @Min(1) @Max(100_000) int maxTeams) {}

    @Bean
    ScoreboardLimits scoreboardLimits(LimitsProperties properties) {
        return new ScoreboardLimits(properties.maxParticipants(), properties.maxTokens(), properties.maxTeams());
    }

    /**
     * On the event store, through which the aggregate publishes every event it applies; measuring with the
     * storage engine's own serializer leaves the serialized payload on the message for the engine to store.
     */
    @Bean
    EventSizeLimit eventSizeLimit(LimitsProperties properties, EventStore eventStore, EventStorageEngine engine,
                                  @Qualifier("eventSerializer") Serializer eventSerializer) {
        Serializer stored = engine instanceof AbstractEventStorageEngine axon ? axon.getEventSerializer()
                : eventSerializer;
        EventSizeLimit limit = new EventSizeLimit(properties.maxEventSize(), stored);
        eventStore.registerDispatchInterceptor(limit);
        return limit;
    }
}
