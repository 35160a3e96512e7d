package io.scoreboard.projections.scoreboard;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * One score change of one participant, as {@code /history} lists it: a ScoreChanged, that
 * participant's part of a round, or of an undo ({@code undoesSequenceNumber} names the change it
 * reverts). {@code undone}: a later undo reverted this change. {@code tokenId} and {@code tokenLabel}: the token
 * that wrote it (null for changes written before tokens were recorded).
 */
public record HistoryEntry(Instant time, UUID participantId, String participantName, String type, BigDecimal delta,
                           BigDecimal scoreAfter, String reason, long position, long sequenceNumber, boolean undone,
                           Long undoesSequenceNumber, UUID tokenId, String tokenLabel) {
}
