package io.scoreboard.events;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.UUID;

/**
 * A participant's score moved by {@code delta} to {@code score}. Both are exact decimals; the
 * resulting score is carried so that a reader never has to re-add history to know it.
 * {@code reason} is optional (null when absent).
 */
@EventType(name = "ScoreChanged", version = 1)
public record ScoreChangedEvent(
        UUID scoreboardId, UUID participantId, BigDecimal delta, BigDecimal score, String reason)
        implements ScoreboardEvent {

    public ScoreChangedEvent {
        Objects.requireNonNull(scoreboardId, "scoreboardId");
        Objects.requireNonNull(participantId, "participantId");
        Objects.requireNonNull(delta, "delta");
        Objects.requireNonNull(score, "score");
    }
}
