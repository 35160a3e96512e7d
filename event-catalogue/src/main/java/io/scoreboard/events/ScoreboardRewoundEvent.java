package io.scoreboard.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The board went back to how it stood at {@code to}: every participant whose name, score, presence or tie position
 * differs from then is set to what it was ({@code participants}; the others were already). Nothing is deleted:
 * the history before stays, {@code ?asOf=} before and after the rewind answers both, and a rewind can itself be
 * rewound. {@code teams} likewise lists every team whose name or presence differs from then (absent when none
 * does, as in every rewind written before teams existed). {@code reason} is optional; {@code tokenId} is the admin
 * token that rewound it.
 */
@EventType(name = "ScoreboardRewound", version = 1)
public record ScoreboardRewoundEvent(UUID scoreboardId, Instant to, String reason,
                                     List<RewoundParticipant> participants,
                                     @JsonInclude(JsonInclude.Include.NON_NULL) UUID tokenId,
                                     @JsonInclude(JsonInclude.Include.NON_EMPTY) List<RewoundTeam> teams)
        implements ScoreboardEvent {

    @JsonCreator
    public ScoreboardRewoundEvent {
        Objects.requireNonNull(scoreboardId, "scoreboardId");
        Objects.requireNonNull(to, "to");
        participants = List.copyOf(Objects.requireNonNull(participants, "participants"));
        teams = teams == null ? List.of() : List.copyOf(teams);
    }

    /** A rewind that changes no team. */
    public ScoreboardRewoundEvent(UUID scoreboardId, Instant to, String reason, List<RewoundParticipant> participants,
                                  UUID tokenId) {
        this(scoreboardId, to, reason, participants, tokenId, List.of());
    }
}
