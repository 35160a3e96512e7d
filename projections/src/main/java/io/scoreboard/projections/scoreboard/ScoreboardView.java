package io.scoreboard.projections.scoreboard;

import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreOrder;
import java.util.List;
import java.util.UUID;

/**
 * One board as the read model holds it, participants already ranked and sorted by rank (then
 * name). {@code lastPosition} is the highest event position applied to this board. {@code teams}
 * are its current teams (not removed), by name then id.
 */
public record ScoreboardView(
        UUID scoreboardId,
        String name,
        ScoreOrder scoreOrder,
        Ranking ranking,
        boolean deleted,
        long version,
        long lastPosition,
        List<RankedParticipant> participants,
        List<BoardTeam> teams) {

    public ScoreboardView {
        participants = List.copyOf(participants);
        teams = List.copyOf(teams);
    }

    /** A board without teams. */
    public ScoreboardView(UUID scoreboardId, String name, ScoreOrder scoreOrder, Ranking ranking, boolean deleted,
                          long version, long lastPosition, List<RankedParticipant> participants) {
        this(scoreboardId, name, scoreOrder, ranking, deleted, version, lastPosition, participants, List.of());
    }
}
