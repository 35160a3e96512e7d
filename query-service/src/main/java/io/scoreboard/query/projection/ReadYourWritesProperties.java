package io.scoreboard.query.projection;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How a query with {@code ?minPosition=} waits for the projection.
 *
 * @param minPositionTimeout longest wait before answering 503; it holds a request thread, so keep it short
 * @param checkInterval      how often the shared checkpoint table is re-read while waiting
 * @param retryAfter         the Retry-After a 503 suggests (whole seconds, at least 1)
 */
@Validated
@ConfigurationProperties("scoreboard.query")
public record ReadYourWritesProperties(
        @DefaultValue("5s") @NotNull
        @DurationMin(millis = 1, message = "must be positive, e.g. 5s")
        @DurationMax(seconds = 60, message = "must be at most 60s: a waiting read holds a request thread")
        Duration minPositionTimeout,
        @DefaultValue("15ms") @NotNull
        @DurationMin(millis = 1, message = "must be positive, e.g. 15ms")
        Duration checkInterval,
        @DefaultValue("1s") @NotNull
        @DurationMin(seconds = 1, message = "must be at least 1s (Retry-After is in whole seconds)")
        Duration retryAfter) {
}
