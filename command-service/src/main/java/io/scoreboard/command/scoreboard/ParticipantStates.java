package io.scoreboard.command.scoreboard;

import io.scoreboard.events.ParticipantAddedEvent;
import io.scoreboard.events.ParticipantRemovedEvent;
import io.scoreboard.events.ParticipantRenamedEvent;
import io.scoreboard.events.RewoundParticipant;
import io.scoreboard.events.RoundRecordedEvent;
import io.scoreboard.events.ScoreChangeUndoneEvent;
import io.scoreboard.events.ScoreChangedEvent;
import io.scoreboard.events.ScoreDelta;
import io.scoreboard.events.ScoreboardEvent;
import io.scoreboard.events.ScoreboardRewoundEvent;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Every participant a board has had, folded from its events: name, score, whether removed, and the position at
 * which it reached its score (a score set to what it already was does not move it), by the same rules as the read
 * model's projection, so that a rewind restores what {@code ?asOf=} shows, ties included.
 */
final class ParticipantStates {

    private final Map<UUID, RewoundParticipant> states = new LinkedHashMap<>();

    void apply(BoardHistory.TimedEvent timed) {
        ScoreboardEvent event = timed.event();
        long position = timed.position();
        if (event instanceof ParticipantAddedEvent added) {
            states.put(added.participantId(),
                    new RewoundParticipant(added.participantId(), added.name(), BigDecimal.ZERO, false, position));
        } else if (event instanceof ParticipantRenamedEvent renamed) {
            states.computeIfPresent(renamed.participantId(), (id, p) -> new RewoundParticipant(id, renamed.name(),
                    p.score(), p.removed(), p.scoreReachedPosition()));
        } else if (event instanceof ParticipantRemovedEvent removed) {
            states.computeIfPresent(removed.participantId(), (id, p) -> new RewoundParticipant(id, p.name(),
                    p.score(), true, p.scoreReachedPosition()));
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
        }
    }

    private void score(UUID participantId, BigDecimal score, long position) {
        states.computeIfPresent(participantId, (id, p) -> new RewoundParticipant(id, p.name(), score, p.removed(),
                p.score().compareTo(score) != 0 ? position : p.scoreReachedPosition()));
    }

    Map<UUID, RewoundParticipant> all() {
        return states;
    }
}
