package io.scoreboard.events;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.UUID;

/**
 * A participant as a rewind sets it: its name, score and whether it is removed, as they were at the rewind's
 * instant (one added later is removed; one removed later comes back), and the position at which it had reached
 * that score then, so that ties rank as they did ({@code scoreReachedPosition}).
 */
public record RewoundParticipant(UUID participantId, String name, BigDecimal score, boolean removed,
                                 long scoreReachedPosition) {

    public RewoundParticipant {
        Objects.requireNonNull(participantId, "participantId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(score, "score");
    }
}
