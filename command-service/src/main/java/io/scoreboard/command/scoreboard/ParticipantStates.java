package io.scoreboard.command.scoreboard;

import io.scoreboard.events.ParticipantAddedEvent;
import io.scoreboard.events.ParticipantRemovedEvent;
import io.scoreboard.events.ParticipantRenamedEvent;
import io.scoreboard.events.ParticipantTeamChangedEvent;
import io.scoreboard.events.RewoundParticipant;
import io.scoreboard.events.RewoundTeam;
import io.scoreboard.events.RoundRecordedEvent;
import io.scoreboard.events.ScoreChangeUndoneEvent;
import io.scoreboard.events.ScoreChangedEvent;
import io.scoreboard.events.ScoreDelta;
import io.scoreboard.events.ScoreboardEvent;
import io.scoreboard.events.ScoreboardRewoundEvent;
import io.scoreboard.events.TeamCreatedEvent;
import io.scoreboard.events.TeamRemovedEvent;
import io.scoreboard.events.TeamRenamedEvent;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Every participant a board has had, folded from its events: name, score, whether removed, the position at which it
 * reached its score (a score set to what it already was does not move it) and its team; and every team it has had
 * (name, whether removed). By the same rules as the read model's projection, so that a rewind restores what
 * {@code ?asOf=} shows, ties and teams included.
 */
final class ParticipantStates {

    private final Map<UUID, RewoundParticipant> states = new LinkedHashMap<>();
    private final Map<UUID, RewoundTeam> teams = new LinkedHashMap<>();

    void apply(BoardHistory.TimedEvent timed) {
        ScoreboardEvent event = timed.event();
        long position = timed.position();
        if (event instanceof ParticipantAddedEvent added) {
            states.put(added.participantId(),
                    new RewoundParticipant(added.participantId(), added.name(), BigDecimal.ZERO, false, position));
        } else if (event instanceof ParticipantRenamedEvent renamed) {
            states.computeIfPresent(renamed.participantId(), (id, p) -> new RewoundParticipant(id, renamed.name(),
                    p.score(), p.removed(), p.scoreReachedPosition(), p.teamId()));
        } else if (event instanceof ParticipantRemovedEvent removed) {
            states.computeIfPresent(removed.participantId(), (id, p) -> new RewoundParticipant(id, p.name(),
                    p.score(), true, p.scoreReachedPosition(), p.teamId()));
        } else if (event instanceof ParticipantTeamChangedEvent moved) {
            states.computeIfPresent(moved.participantId(), (id, p) -> withTeam(p, moved.teamId()));
        } else if (event instanceof TeamCreatedEvent created) {
            teams.put(created.teamId(), new RewoundTeam(created.teamId(), created.name(), false));
        } else if (event instanceof TeamRenamedEvent renamed) {
            teams.computeIfPresent(renamed.teamId(), (id, t) -> new RewoundTeam(id, renamed.name(), t.removed()));
        } else if (event instanceof TeamRemovedEvent removed) {
            teams.computeIfPresent(removed.teamId(), (id, t) -> new RewoundTeam(id, t.name(), true));
            // Its members are teamless by this event alone (as the aggregate and the projection fold it).
            states.replaceAll((id, p) -> removed.teamId().equals(p.teamId()) ? withTeam(p, null) : p);
        } else if (event instanceof ScoreChangedEvent changed) {
            score(changed.participantId(), changed.score(), position);
        } else if (event instanceof RoundRecordedEvent round) {
            round.deltas().forEach(d -> score(d.participantId(), d.score(), position));
        } else if (event instanceof ScoreChangeUndoneEvent undone) {
            for (ScoreDelta d : undone.deltas()) {
                score(d.participantId(), d.score(), position);
            }
        } else if (event instanceof ScoreboardRewoundEvent rewound) {
            rewound.participants().forEach(p -> states.put(p.participantId(), p));
            rewound.teams().forEach(t -> teams.put(t.teamId(), t));
        }
    }

    private void score(UUID participantId, BigDecimal score, long position) {
        states.computeIfPresent(participantId, (id, p) -> new RewoundParticipant(id, p.name(), score, p.removed(),
                p.score().compareTo(score) != 0 ? position : p.scoreReachedPosition(), p.teamId()));
    }

    private static RewoundParticipant withTeam(RewoundParticipant p, UUID teamId) {
        return new RewoundParticipant(p.participantId(), p.name(), p.score(), p.removed(), p.scoreReachedPosition(),
                teamId);
    }

    Map<UUID, RewoundParticipant> all() {
        return states;
    }

    /** Every team the board has had, by id, in the order they were created. */
    Map<UUID, RewoundTeam> teams() {
        return teams;
    }
}
