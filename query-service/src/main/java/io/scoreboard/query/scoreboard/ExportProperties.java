package io.scoreboard.query.scoreboard;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How many CSV exports may run at once (docs/adr/0018). An export holds a request thread for as long as
 * its client takes to read it (a database connection only while it reads a chunk, docs/adr/0025).
 *
 * @param maxConcurrent exports in progress at once; beyond, 503 at once
 *                      ({@code 0}: no bound)
 * @param retryAfter    the Retry-After such a 503 suggests
 */
@Validated
@ConfigurationProperties("scoreboard.query.exports")
public record ExportProperties(
        @DefaultValue("4")
        @Min(value = 0, message = "must be 0 (no bound) or more")
        int maxConcurrent,
        @DefaultValue("5s") @NotNull
        @DurationMin(seconds = 1, message = "must be at least 1s (Retry-After is in whole seconds)")
        Duration retryAfter) {
}
