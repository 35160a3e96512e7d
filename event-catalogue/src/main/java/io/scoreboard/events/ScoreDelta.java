package io.scoreboard.events;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.UUID;

/** One participant's part of a round or an undo: the change and the score it led to. */
public record ScoreDelta(UUID participantId, BigDecimal delta, BigDecimal score) {

    public ScoreDelta {
        Objects.requireNonNull(participantId, "participantId");
        Objects.requireNonNull(delta, "delta");
        Objects.requireNonNull(score, "score");
    }
}
