package io.scoreboard.httpedge.ratelimit;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code scoreboard.rate-limits.*} shared by both services; each service adds its own limits under
 * the same prefix.
 *
 * @param enabled        {@code scoreboard.rate-limits.enabled} (env {@code SCOREBOARD_RATE_LIMITS=off}):
 *                       false turns every limit off, e.g. for a load test
 * @param trustedProxies {@code scoreboard.rate-limits.trusted-proxies}: addresses of reverse proxies
 *                       whose {@code X-Forwarded-For} names the client; empty (the default): the TCP
 *                       peer is the client
 * @param maxTrackedKeys {@code scoreboard.rate-limits.max-tracked-keys}: at most this many addresses
 *                       or boards are tracked per limit (least recently seen dropped first)
 * @param refusalDelay   {@code scoreboard.rate-limits.refusal-delay}: a 429 is sent after this pause (or
 *                       its Retry-After, if shorter), so a flooding connection is slowed down too
 *                       (docs/adr/0019); 0 answers at once
 * @param maxDelayedRefusals {@code scoreboard.rate-limits.max-delayed-refusals}: refusals held at once at
 *                       most, each an open connection; beyond, answered at once
 */
@Validated
@ConfigurationProperties("scoreboard.rate-limits")
public record RateLimitProperties(@DefaultValue("true") boolean enabled,
                                  @DefaultValue List<String> trustedProxies,
                                  @DefaultValue("50000") @Min(value = 100, message = "must be at least 100, e.g. 50000")
                                  long maxTrackedKeys,
                                  @DefaultValue("1s") @NotNull
                                  @DurationMin(millis = 0, message = "must be 0 (answer at once) or more, e.g. 1s")
                                  @DurationMax(seconds = 10, message = "must be at most 10s: a client waits that long "
                                          + "for its 429")
                                  Duration refusalDelay,
                                  @DefaultValue("2000") @Min(value = 0, message = "must be 0 or more, e.g. 2000")
                                  @Max(value = 100_000, message = "must be at most 100000: each is an open connection")
                                  int maxDelayedRefusals) {

    @AssertTrue(message = "every entry of scoreboard.rate-limits.trusted-proxies must be an IP address "
            + "(e.g. 10.0.0.5 or ::1), not a host name or a range")
    public boolean isTrustedProxiesValid() {
        return trustedProxies == null || trustedProxies.stream().allMatch(proxy -> ClientAddresses.normalize(proxy) != null);
    }
}
