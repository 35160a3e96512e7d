package io.scoreboard.projections.scoreboard;

import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreOrder;
import java.util.List;
import java.util.UUID;

/**
 * One board as the read model holds it, participants already ranked and sorted by rank (then
 * name). {@code lastPosition} is the highest event position applied to this board.
 */
public record ScoreboardView(
        UUID scoreboardId,
        String name,
        ScoreOrder scoreOrder,
        Ranking ranking,
        boolean deleted,
        long version,
        long lastPosition,
        List<RankedParticipant> participants) {

    public ScoreboardView {
        participants = List.copyOf(participants);
    }
}
