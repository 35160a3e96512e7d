package io.scoreboard.command.eventstore;

import io.scoreboard.command.scoreboard.BoardCommandTargetResolver;
import io.scoreboard.command.scoreboard.Scoreboard;
import jakarta.validation.constraints.Min;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.annotation.HandlerDefinition;
import org.axonframework.messaging.annotation.ParameterResolverFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.validation.annotation.Validated;

/**
 * The scoreboard aggregate's repository (named on {@link Scoreboard}'s {@code @Aggregate}): event
 * sourced, with the committed-state cache of ADR 0012.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ScoreboardRepositoryConfiguration.CacheProperties.class)
public class ScoreboardRepositoryConfiguration {

    /** Locks of the cache: a few per core is enough to keep request threads from queueing on one. */
    private static final int SEGMENTS = 16;

    /**
     * scoreboard.commands.cache.max-weight: how much committed board state one instance keeps, counted
     * as participants plus undoable score changes summed over the kept boards (120–160 bytes each, measured: ADR 0012);
     * 0 keeps nothing, so every command replays its board. Each of the {@value #SEGMENTS} segments gets an
     * equal share, so a board heavier than one share is never kept.
     */
    @Validated
    @ConfigurationProperties("scoreboard.commands.cache")
    public record CacheProperties(@DefaultValue("500000") @Min(0) long maxWeight) {}

    /** Named on {@link Scoreboard}'s {@code @Aggregate}: the board of a command without reflection. */
    @Bean
    public BoardCommandTargetResolver boardCommandTargetResolver() {
        return new BoardCommandTargetResolver();
    }

    @Bean
    public EventSourcingRepository<Scoreboard> scoreboardRepository(EventStore eventStore,
                                                                    ParameterResolverFactory parameterResolverFactory,
                                                                    HandlerDefinition handlerDefinition,
                                                                    CacheProperties cache) {
        // Handler parameters such as ScoreboardLimits are Spring beans, as for Axon's own repositories.
        return CommittedStateRepository.create(Scoreboard.class, eventStore, parameterResolverFactory, handlerDefinition,
                new CommittedAggregates<>(cache.maxWeight(), SEGMENTS, Scoreboard::footprint));
    }
}
