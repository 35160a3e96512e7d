package io.scoreboard.query.scoreboard;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.scoreboard.projections.scoreboard.RankedParticipant;
import io.scoreboard.projections.scoreboard.RankedTeam;
import io.scoreboard.projections.scoreboard.ReadScope;
import io.scoreboard.projections.scoreboard.TeamStandings;
import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * {@code GET /api/v1/scoreboards/{id}/teams}: the board's current teams in rank order, each with its
 * score (the sum of its current members' scores, exact) and its members in their order on the board.
 * {@code asOf}, {@code from} and {@code to} are present only when asked for, as on the leaderboard.
 */
public record TeamStandingsResponse(
        UUID scoreboardId,
        long version,
        List<Team> teams,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant asOf,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant from,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant to) {

    /** A team's standing. */
    @Schema(name = "TeamStanding")
    public record Team(UUID teamId, String name, BigDecimal score, long rank, List<Member> members) {

        static Team from(RankedTeam team) {
            return new Team(team.teamId(), team.name(), team.score(), team.rank(),
                    team.members().stream().map(Member::from).toList());
        }
    }

    /** A member of a team: its score in the same scope as the team's. */
    @Schema(name = "TeamMember")
    public record Member(UUID participantId, String name, BigDecimal score) {

        static Member from(RankedParticipant p) {
            return new Member(p.participantId(), p.name(), p.score());
        }
    }

    static TeamStandingsResponse from(TeamStandings standings, ReadScope scope) {
        ReadScope.Window window = scope instanceof ReadScope.Window w ? w : null;
        return new TeamStandingsResponse(standings.board().scoreboardId(), standings.board().version(),
                standings.teams().stream().map(Team::from).toList(),
                scope instanceof ReadScope.AsOf a ? a.instant() : null,
                window == null || window.from().equals(ScopeParameters.OPEN_START) ? null : window.from(),
                window == null || window.to().equals(ScopeParameters.OPEN_END) ? null : window.to());
    }
}
