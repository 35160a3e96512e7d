package io.scoreboard.command.scoreboard;

import io.scoreboard.events.RoundRecordedEvent;
import io.scoreboard.events.ScoreChangeUndoneEvent;
import io.scoreboard.events.ScoreChangedEvent;
import io.scoreboard.events.ScoreboardRewoundEvent;
import io.scoreboard.events.ScoreDelta;
import io.scoreboard.events.ScoreboardEvent;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The score changes undo can reach beyond what a board keeps in memory (docs/adr/0026). A board keeps
 * only its latest undoable changes ({@link Scoreboard#UNDO_WINDOW_DELTAS} deltas); when undo has
 * reverted all of those and older ones exist, the next undo asks the event store through this port.
 */
public interface UndoHistory {

    /** A score change or round undo may revert: its sequence number and its deltas as stored. */
    record UndoableChange(long sequenceNumber, List<ScoreDelta> deltas) {}

    /** One stored event of the board with its sequence number. */
    record StoredEvent(long sequenceNumber, ScoreboardEvent event) {}

    /**
     * The board's latest score change or round, at or below sequence {@code upTo}, that no undo has reverted;
     * empty when every one has been.
     */
    Optional<UndoableChange> latestNotUndone(UUID scoreboardId, long upTo);

    /**
     * The same, from the board's score changes, rounds and undos, newest first. Undo always reverts the latest
     * change not yet undone, so changes and undos nest like brackets: read backwards, each undo stands for the
     * next change not already matched, and the first change left unmatched is the one wanted. Constant memory,
     * however long the history (a set of reverted sequence numbers would grow with it).
     */
    static Optional<UndoableChange> latestNotUndone(Iterable<StoredEvent> newestFirst) {
        long unmatchedUndos = 0;
        for (StoredEvent stored : newestFirst) {
            ScoreboardEvent event = stored.event();
            if (event instanceof ScoreboardRewoundEvent) {
                return Optional.empty(); // undo does not reach past a rewind: rewind again instead (ADR 0044)
            }
            if (event instanceof ScoreChangeUndoneEvent) {
                unmatchedUndos++;
            } else if (event instanceof ScoreChangedEvent || event instanceof RoundRecordedEvent) {
                if (unmatchedUndos > 0) {
                    unmatchedUndos--;
                } else {
                    return Optional.of(new UndoableChange(stored.sequenceNumber(), deltas(event)));
                }
            }
        }
        return Optional.empty();
    }

    private static List<ScoreDelta> deltas(ScoreboardEvent event) {
        if (event instanceof ScoreChangedEvent change) {
            return List.of(new ScoreDelta(change.participantId(), change.delta(), change.score()));
        }
        return ((RoundRecordedEvent) event).deltas();
    }
}
