package io.scoreboard.command.scoreboard;

import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;

/**
 * What a command produced: the board's version (sequence number of its last event) and, for
 * scoring commands, the participants' resulting scores. Axon hands it back to the controller.
 */
public record CommandOutcome(long version, Map<UUID, BigDecimal> scores, Long undoneSequenceNumber) {

    public static CommandOutcome of(long version) {
        return new CommandOutcome(version, Map.of(), null);
    }

    public static CommandOutcome scored(long version, Map<UUID, BigDecimal> scores) {
        return new CommandOutcome(version, Map.copyOf(scores), null);
    }
}
