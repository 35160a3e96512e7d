package io.scoreboard.command.web;

import io.scoreboard.httpedge.ratelimit.Limit;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The command service's rate limits ({@code scoreboard.rate-limits.<name>.rate / .period / .burst};
 * defaults in application.yml; a rate of 0 turns one off). The switches every service shares
 * (enabled, trusted-proxies, max-tracked-keys) are in http-edge's RateLimitProperties.
 *
 * @param boardWrites           writes to one board (any write under {@code /api/v1/scoreboards/{id}/…}),
 *                              from all clients together: 20/s, bursts of 100
 * @param boardCreations        {@code POST /api/v1/scoreboards} per client address: 60/min
 * @param failedAuthentications answers 401/403 per client address: 10/s; while used up, every write
 *                              from that address is refused before it runs
 */
@Validated
@ConfigurationProperties("scoreboard.rate-limits")
public record CommandRateLimits(@NotNull(message = "set scoreboard.rate-limits.board-writes.rate (0: off)")
                                Limit boardWrites,
                                @NotNull(message = "set scoreboard.rate-limits.board-creations.rate (0: off)")
                                Limit boardCreations,
                                @NotNull(message = "set scoreboard.rate-limits.failed-authentications.rate (0: off)")
                                Limit failedAuthentications) {

    @AssertTrue(message = "scoreboard.rate-limits.board-writes: " + Limit.RULE)
    public boolean isBoardWritesValid() {
        return boardWrites == null || boardWrites.isValid();
    }

    @AssertTrue(message = "scoreboard.rate-limits.board-creations: " + Limit.RULE)
    public boolean isBoardCreationsValid() {
        return boardCreations == null || boardCreations.isValid();
    }

    @AssertTrue(message = "scoreboard.rate-limits.failed-authentications: " + Limit.RULE)
    public boolean isFailedAuthenticationsValid() {
        return failedAuthentications == null || failedAuthentications.isValid();
    }
}
