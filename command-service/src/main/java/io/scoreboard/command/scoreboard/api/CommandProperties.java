package io.scoreboard.command.scoreboard.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param boardLockTimeout how long a write waits for its board's lock (another write to the same board
 *                         holds it) before answering 503 BOARD_BUSY with nothing stored; 0 waits without
 *                         limit
 * @param groupCommit      how writes to existing boards that arrive together are stored together (ADR 0029)
 */
@Validated
@ConfigurationProperties("scoreboard.commands")
public record CommandProperties(@DefaultValue("2s") @NotNull Duration boardLockTimeout,
                                @DefaultValue @NotNull @Valid GroupCommitProperties groupCommit) {

    public CommandProperties {
        if (boardLockTimeout != null && boardLockTimeout.isNegative()) {
            throw new IllegalArgumentException("scoreboard.commands.board-lock-timeout must be 0 (no limit) or more, was "
                    + boardLockTimeout);
        }
    }

    /**
     * scoreboard.commands.group-commit.*
     *
     * @param writers  threads that store queued writes, each one batch (one transaction) at a time; 0 stores
     *                 every write alone on its request's thread, as before ADR 0029
     * @param maxBatch the most writes one transaction stores
     */
    public record GroupCommitProperties(@DefaultValue("2") @Min(0) @Max(16) int writers,
                                        @DefaultValue("64") @Min(1) @Max(1000) int maxBatch) {}
}
