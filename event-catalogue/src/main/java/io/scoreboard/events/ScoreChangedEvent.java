package io.scoreboard.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
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
        UUID scoreboardId, UUID participantId, BigDecimal delta, BigDecimal score, String reason,
        @JsonInclude(JsonInclude.Include.NON_NULL) UUID tokenId)
        implements ScoreboardEvent {

    @JsonCreator
    public ScoreChangedEvent {
        Objects.requireNonNull(scoreboardId, "scoreboardId");
        Objects.requireNonNull(participantId, "participantId");
        Objects.requireNonNull(delta, "delta");
        Objects.requireNonNull(score, "score");
    }

    /** The event as written before tokens were recorded, or by no token (tokenId absent). */
    public ScoreChangedEvent(UUID scoreboardId, UUID participantId, BigDecimal delta, BigDecimal score, String reason) {
        this(scoreboardId, participantId, delta, score, reason, null);
    }
}
