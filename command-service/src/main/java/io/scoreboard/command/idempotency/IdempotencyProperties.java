package io.scoreboard.command.idempotency;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param responseKey base64 of 32 random bytes; encrypts stored responses (a new board's tokens are
 *                    in them). Generate one with {@code openssl rand -base64 32}; keep it stable,
 *                    or stored responses can no longer be replayed.
 * @param retention   how long a key is remembered (at least 24 hours)
 */
@Validated
@ConfigurationProperties("scoreboard.idempotency")
public record IdempotencyProperties(
        @NotBlank(message = "is required: set scoreboard.idempotency.response-key to base64 of 32 random bytes "
                + "(openssl rand -base64 32); ./scoreboard up generates one")
        String responseKey,
        @DefaultValue("25h") @NotNull Duration retention) {

    public IdempotencyProperties {
        if (retention != null && retention.compareTo(Duration.ofHours(24)) < 0) {
            throw new IllegalArgumentException("scoreboard.idempotency.retention must be at least 24h, was " + retention);
        }
    }
}
