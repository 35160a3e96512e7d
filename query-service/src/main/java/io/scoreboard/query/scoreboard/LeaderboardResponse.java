package io.scoreboard.query.scoreboard;

import io.scoreboard.projections.scoreboard.BoardSlice;
import java.util.List;
import java.util.UUID;

/**
 * {@code GET /api/v1/scoreboards/{id}/leaderboard}: one page of the ranking. {@code total} counts the
 * board's current participants, so a client can tell how many pages there are.
 */
public record LeaderboardResponse(
        UUID scoreboardId,
        String name,
        long version,
        long total,
        int limit,
        long offset,
        List<ParticipantResponse> participants) {

    static LeaderboardResponse from(BoardSlice page, int limit, long offset) {
        return new LeaderboardResponse(page.board().scoreboardId(), page.board().name(), page.board().version(),
                page.totalParticipants(), limit, offset, ParticipantResponse.listOf(page.board()));
    }
}
