package io.scoreboard.projections.scoreboard;

import java.math.BigDecimal;
import java.util.UUID;

/** A participant with its exact score (no trailing zeros) and its rank on the board, from 1. */
public record RankedParticipant(UUID participantId, String name, BigDecimal score, long rank) {
}
