package io.scoreboard.command.scoreboard.api;

import io.scoreboard.command.scoreboard.ScoreboardLimits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.validation.annotation.Validated;

/** The board limits from configuration, as the resource the aggregate's handlers receive. */
@Configuration(proxyBeanMethods = false)
class LimitsConfiguration {

    /** scoreboard.limits.max-participants: how many active participants one board may hold. */
    @Validated
    @ConfigurationProperties("scoreboard.limits")
    record LimitsProperties(@DefaultValue("10000") @Min(1) @Max(100_000) int maxParticipants) {}

    @Bean
    ScoreboardLimits scoreboardLimits(LimitsProperties properties) {
        return new ScoreboardLimits(properties.maxParticipants());
    }
}
