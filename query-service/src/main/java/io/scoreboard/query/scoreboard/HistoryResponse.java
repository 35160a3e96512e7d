package io.scoreboard.query.scoreboard;

import io.scoreboard.projections.scoreboard.HistoryEntry;
import io.scoreboard.query.scoreboard.ScoreboardQueries.History;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * {@code GET /api/v1/scoreboards/{id}/history}: score changes, newest first. {@code nextBefore} is
 * the {@code before} of the next, older page (null on the last page); a page holds whole events, so
 * a round is never split over two pages.
 */
public record HistoryResponse(
        UUID scoreboardId,
        UUID participantId,
        long version,
        List<Entry> entries,
        Long nextBefore) {

    /**
     * One participant's score change: {@code type} ScoreChanged, RoundRecorded or ScoreChangeUndone;
     * {@code reason} the change's reason or the round's comment; {@code undone} whether a later undo
     * reverted it; {@code undoesSequenceNumber} for an undo, the change it reverts; {@code tokenId} and
     * {@code tokenLabel} the token that wrote it (null for changes written before tokens were recorded).
     */
    public record Entry(Instant time, UUID participantId, String participantName, String type, BigDecimal delta,
                        BigDecimal scoreAfter, String reason, long position, long sequenceNumber, boolean undone,
                        Long undoesSequenceNumber, UUID tokenId, String tokenLabel) {

        static Entry from(HistoryEntry e) {
            return new Entry(e.time(), e.participantId(), e.participantName(), e.type(), e.delta(), e.scoreAfter(),
                    e.reason(), e.position(), e.sequenceNumber(), e.undone(), e.undoesSequenceNumber(), e.tokenId(),
                    e.tokenLabel());
        }
    }

    static HistoryResponse from(History history, UUID participantId) {
        return new HistoryResponse(history.board().scoreboardId(), participantId, history.board().version(),
                history.page().entries().stream().map(Entry::from).toList(),
                history.page().nextBefore().isPresent() ? history.page().nextBefore().getAsLong() : null);
    }
}
