package io.scoreboard.command.scoreboard;

import java.math.BigDecimal;
import java.util.UUID;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Move a participant's score by {@code delta}. {@code tokenHash} is the hash of the presented bearer token. */
public record ChangeScoreCommand(
        @TargetAggregateIdentifier UUID scoreboardId,
        UUID participantId,
        BigDecimal delta,
        String reason,
        String tokenHash) {
}
