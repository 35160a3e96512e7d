package io.scoreboard.query.web;

import io.scoreboard.httpedge.ratelimit.Limit;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The query service's rate limits on expensive reads ({@code scoreboard.rate-limits.<name>.rate /
 * .period / .burst}; defaults in application.yml; a rate of 0 turns one off). Expensive: CSV
 * exports, {@code asOf}, {@code from}/{@code to} windows and {@code minPosition} waits. The switches
 * every service shares (enabled, trusted-proxies, max-tracked-keys) are in http-edge's
 * RateLimitProperties.
 *
 * @param expensiveReadsPerClient per client address: 10/s, bursts of 20
 * @param expensiveReadsTotal     all clients together, per instance: 100/s
 * @param waitingReadsPerClient   {@code minPosition} reads in progress at once per client address: 16
 *                                (0: no bound); without it one address could take every waiting place
 *                                of {@code scoreboard.query.max-waiting-reads}
 * @param exportsPerClient        CSV exports in progress at once per client address: 2 (0: no bound); without
 *                                it one address of slow readers could hold every place of
 *                                {@code scoreboard.query.exports.max-concurrent} and nobody else could export
 */
@Validated
@ConfigurationProperties("scoreboard.rate-limits")
public record QueryRateLimits(@NotNull(message = "set scoreboard.rate-limits.expensive-reads-per-client.rate (0: off)")
                              Limit expensiveReadsPerClient,
                              @NotNull(message = "set scoreboard.rate-limits.expensive-reads-total.rate (0: off)")
                              Limit expensiveReadsTotal,
                              @NotNull(message = "set scoreboard.rate-limits.waiting-reads-per-client (0: no bound)")
                              @Min(value = 0, message = "must be 0 (no bound) or more, e.g. 16")
                              Integer waitingReadsPerClient,
                              @NotNull(message = "set scoreboard.rate-limits.exports-per-client (0: no bound)")
                              @Min(value = 0, message = "must be 0 (no bound) or more, e.g. 2")
                              Integer exportsPerClient) {

    @AssertTrue(message = "scoreboard.rate-limits.expensive-reads-per-client: " + Limit.RULE)
    public boolean isExpensiveReadsPerClientValid() {
        return expensiveReadsPerClient == null || expensiveReadsPerClient.isValid();
    }

    @AssertTrue(message = "scoreboard.rate-limits.expensive-reads-total: " + Limit.RULE)
    public boolean isExpensiveReadsTotalValid() {
        return expensiveReadsTotal == null || expensiveReadsTotal.isValid();
    }
}
