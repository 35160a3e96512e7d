package io.scoreboard.httpedge.ratelimit;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import java.util.List;
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
 */
@Validated
@ConfigurationProperties("scoreboard.rate-limits")
public record RateLimitProperties(@DefaultValue("true") boolean enabled,
                                  @DefaultValue List<String> trustedProxies,
                                  @DefaultValue("50000") @Min(value = 100, message = "must be at least 100, e.g. 50000")
                                  long maxTrackedKeys) {

    @AssertTrue(message = "every entry of scoreboard.rate-limits.trusted-proxies must be an IP address "
            + "(e.g. 10.0.0.5 or ::1), not a host name or a range")
    public boolean isTrustedProxiesValid() {
        return trustedProxies == null || trustedProxies.stream().allMatch(proxy -> ClientAddresses.normalize(proxy) != null);
    }
}
