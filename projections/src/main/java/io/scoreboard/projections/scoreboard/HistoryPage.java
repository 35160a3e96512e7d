package io.scoreboard.projections.scoreboard;

import java.util.List;
import java.util.OptionalLong;

/**
 * Score changes newest first. A page holds whole events (a round's entries are never split over two
 * pages); {@code nextBefore} is the {@code before} of the next, older page, empty on the last one.
 */
public record HistoryPage(List<HistoryEntry> entries, OptionalLong nextBefore) {
}
