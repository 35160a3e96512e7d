package io.scoreboard.projections.scoreboard;

import java.util.List;

/**
 * A board's team standings in one read scope: {@code board} is the board's own columns (no
 * participants listed), {@code teams} its current teams in rank order (then name, then id).
 */
public record TeamStandings(ScoreboardView board, List<RankedTeam> teams) {

    public TeamStandings {
        teams = List.copyOf(teams);
    }
}
