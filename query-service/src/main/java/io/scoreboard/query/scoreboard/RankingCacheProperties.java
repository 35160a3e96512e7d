package io.scoreboard.query.scoreboard;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The in-memory cache of ranked boards ({@link RankedBoards}).
 *
 * @param maxParticipants participants held over all cached boards (about 200 bytes each); 0 turns the
 *                        cache off, so every read ranks the board in SQL
 */
@Validated
@ConfigurationProperties("scoreboard.query.ranking-cache")
public record RankingCacheProperties(
        @DefaultValue("200000")
        @Min(value = 0, message = "must be 0 (off) or more, e.g. 200000")
        @Max(value = 10_000_000, message = "must be at most 10000000 (about 2 GB of heap)")
        long maxParticipants) {
}
