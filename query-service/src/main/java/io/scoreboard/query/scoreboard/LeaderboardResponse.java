package io.scoreboard.query.scoreboard;

import io.scoreboard.projections.scoreboard.BoardSlice;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.scoreboard.projections.scoreboard.ReadScope;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * {@code GET /api/v1/scoreboards/{id}/leaderboard}: one page of the ranking. {@code total} counts the
 * board's current participants, so a client can tell how many pages there are. For a windowed board
 * ({@code from}/{@code to}) each score is the points scored in the window; {@code asOf}, {@code from}
 * and {@code to} are present only when asked for.
 */
public record LeaderboardResponse(
        UUID scoreboardId,
        String name,
        long version,
        long total,
        int limit,
        long offset,
        List<ParticipantResponse> participants,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant asOf,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant from,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant to) {

    static LeaderboardResponse from(BoardSlice page, int limit, long offset, ReadScope scope) {
        Instant asOf = scope instanceof ReadScope.AsOf a ? a.instant() : null;
        ReadScope.Window window = scope instanceof ReadScope.Window w ? w : null;
        return new LeaderboardResponse(page.board().scoreboardId(), page.board().name(), page.board().version(),
                page.totalParticipants(), limit, offset, ParticipantResponse.listOf(page.board()), asOf,
                window == null || window.from().equals(ScopeParameters.OPEN_START) ? null : window.from(),
                window == null || window.to().equals(ScopeParameters.OPEN_END) ? null : window.to());
    }
}
