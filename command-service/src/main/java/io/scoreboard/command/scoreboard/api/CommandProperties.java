package io.scoreboard.command.scoreboard.api;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param boardLockTimeout how long a write waits for its board's lock (another write to the same board
 *                         holds it) before answering 503 BOARD_BUSY with nothing stored; 0 waits without
 *                         limit
 */
@Validated
@ConfigurationProperties("scoreboard.commands")
public record CommandProperties(@DefaultValue("2s") @NotNull Duration boardLockTimeout) {

    public CommandProperties {
        if (boardLockTimeout != null && boardLockTimeout.isNegative()) {
            throw new IllegalArgumentException("scoreboard.commands.board-lock-timeout must be 0 (no limit) or more, was "
                    + boardLockTimeout);
        }
    }
}
