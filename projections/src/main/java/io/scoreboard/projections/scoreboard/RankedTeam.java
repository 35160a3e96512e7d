package io.scoreboard.projections.scoreboard;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/**
 * A team in the standings: its score (the sum of its current members' scores, exact), its rank among
 * the board's teams, and its members in their order on the board (rank, then name, then id).
 */
public record RankedTeam(UUID teamId, String name, BigDecimal score, long rank, List<RankedParticipant> members) {

    public RankedTeam {
        members = List.copyOf(members);
    }
}
