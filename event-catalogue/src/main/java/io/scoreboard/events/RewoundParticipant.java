package io.scoreboard.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.UUID;

/**
 * A participant as a rewind sets it: its name, score and whether it is removed, as they were at the rewind's
 * instant (one added later is removed; one removed later comes back), and the position at which it had reached
 * that score then, so that ties rank as they did ({@code scoreReachedPosition}), and the team it was in then
 * ({@code teamId}, absent for none: rewinds written before teams existed name none, and no participant had one).
 */
public record RewoundParticipant(UUID participantId, String name, BigDecimal score, boolean removed,
                                 long scoreReachedPosition,
                                 @JsonInclude(JsonInclude.Include.NON_NULL) UUID teamId) {

    @JsonCreator
    public RewoundParticipant {
        Objects.requireNonNull(participantId, "participantId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(score, "score");
    }

    /** A participant without a team (as every rewind before teams existed wrote it). */
    public RewoundParticipant(UUID participantId, String name, BigDecimal score, boolean removed,
                              long scoreReachedPosition) {
        this(participantId, name, score, removed, scoreReachedPosition, null);
    }
}
