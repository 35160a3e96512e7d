package io.scoreboard.query.scoreboard;

import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.projections.scoreboard.ScoreboardView;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.scoreboard.projections.scoreboard.ReadScope;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * {@code GET /api/v1/scoreboards/{id}}: the board with its participants sorted by rank; with
 * {@code ?asOf=} as it stood then ({@code version} is the board's version at that instant).
 */
public record ScoreboardResponse(
        UUID scoreboardId,
        String name,
        ScoreOrder scoreOrder,
        Ranking ranking,
        boolean deleted,
        long version,
        List<ParticipantResponse> participants,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant asOf,
        @Schema(description = "the board's current teams (as of asOf, when given), by name") List<TeamResponse> teams) {

    /** One of the board's teams; its standing is at {@code GET /{id}/teams}. */
    @Schema(name = "BoardTeam")
    public record TeamResponse(UUID teamId, String name) {}

    static ScoreboardResponse from(ScoreboardView view, ReadScope scope) {
        return new ScoreboardResponse(view.scoreboardId(), view.name(), view.scoreOrder(), view.ranking(),
                view.deleted(), view.version(),
                ParticipantResponse.listOf(view), scope instanceof ReadScope.AsOf a ? a.instant() : null,
                view.teams().stream().map(t -> new TeamResponse(t.teamId(), t.name())).toList());
    }
}
