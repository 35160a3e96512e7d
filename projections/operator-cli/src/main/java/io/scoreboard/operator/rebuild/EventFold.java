package io.scoreboard.operator.rebuild;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.projections.Projection;
import io.scoreboard.projections.scoreboard.HistoryRows;
import io.scoreboard.projections.scoreboard.ScoreboardRecomputation;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Events folded into the read model in memory, with the live projection's rules. With a point in
 * time, each board stops at its first event after that instant: the board exactly as it stood
 * then, even if a clock step made a later event look earlier.
 */
final class EventFold {

    private final ScoreboardRecomputation model;
    private final Optional<Instant> until;
    private final Set<UUID> stoppedBoards = new HashSet<>();
    private long read;
    private long applied;
    private long duplicates;
    private long afterUntil;
    private long maxPosition;

    /** {@code history} receives the history rows as they are produced (they are not kept in memory). */
    EventFold(Optional<Instant> until, HistoryRows history) {
        this.until = until;
        this.model = ScoreboardRecomputation.writingHistoryTo(history);
    }

    void accept(EventEnvelope event) {
        read++;
        if (until.isPresent() && (stoppedBoards.contains(event.scoreboardId())
                || event.occurredAt().isAfter(until.get()))) {
            stoppedBoards.add(event.scoreboardId());
            afterUntil++;
            return;
        }
        if (model.apply(event) == Projection.Outcome.APPLIED) {
            applied++;
            maxPosition = Math.max(maxPosition, event.position());
        } else {
            duplicates++;
        }
    }

    ScoreboardRecomputation model() {
        return model;
    }

    long read() {
        return read;
    }

    long applied() {
        return applied;
    }

    long duplicates() {
        return duplicates;
    }

    long afterUntil() {
        return afterUntil;
    }

    long maxPosition() {
        return maxPosition;
    }
}
