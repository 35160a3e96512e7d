package io.scoreboard.query.projection;

import jakarta.validation.constraints.Min;
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
 * @param maxWaitingReads    reads that may wait at once; beyond, 503 at once ({@code 0}: no bound)
 * @param endOffsetsInterval least time between two looks at the topic's end, shared by all waiting reads
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
        Duration retryAfter,
        @DefaultValue("64")
        @Min(value = 0, message = "must be 0 (no bound) or more: each waiting read holds a request thread")
        int maxWaitingReads,
        @DefaultValue("25ms") @NotNull
        @DurationMin(millis = 1, message = "must be positive, e.g. 25ms")
        @DurationMax(seconds = 1, message = "must be at most 1s: every minPosition wait waits for the next look")
        Duration endOffsetsInterval) {
}
