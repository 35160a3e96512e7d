package io.scoreboard.projections.scoreboard;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * A participant with its exact score (no trailing zeros), its rank on the board, from 1, and its team
 * ({@code teamId} null: none).
 */
public record RankedParticipant(UUID participantId, String name, BigDecimal score, long rank, UUID teamId) {

    /** A participant without a team. */
    public RankedParticipant(UUID participantId, String name, BigDecimal score, long rank) {
        this(participantId, name, score, rank, null);
    }
}
