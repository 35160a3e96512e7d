package io.scoreboard.command.access;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the command path knows boards' credentials before it takes any lock (ADR 0014).
 *
 * @param maxBoards         how many boards' token hashes are kept in memory (least recently used go
 *                          first; 351 bytes a board measured, so 18 MB by default); 0 keeps none, so every
 *                          write reads its board's first event
 * @param poolSize          connections of the lookup's own pool, apart from the write pool so a lookup
 *                          never queues behind writes
 * @param connectionTimeout how long a lookup waits for one of those connections before the write
 *                          answers 503 (at least 250 ms, Hikari's minimum)
 */
@Validated
@ConfigurationProperties("scoreboard.commands.credentials")
public record CredentialsProperties(
        @DefaultValue("50000") @Min(value = 0, message = "must be 0 (keep none) or more") long maxBoards,
        @DefaultValue("3") @Min(1) @Max(20) int poolSize,
        @DefaultValue("500ms") @NotNull Duration connectionTimeout) {

    public CredentialsProperties {
        if (connectionTimeout != null && connectionTimeout.toMillis() < 250) {
            throw new IllegalArgumentException("scoreboard.commands.credentials.connection-timeout must be at least "
                    + "250ms (Hikari's minimum), was " + connectionTimeout);
        }
    }
}
