package io.scoreboard.query.live;

import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.projections.scoreboard.BoardTimeline.Participant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Ranks a board in memory exactly as the ranking SQL does (ScoreboardReader): removed participants are not
 * ranked; STANDARD is {@code rank()}, DENSE {@code dense_rank()} over the score, ORDINAL {@code row_number()}
 * over the score, then who reached it first (its position), then the participant id in PostgreSQL's uuid
 * order (unsigned bytes, not Java's signed {@link UUID#compareTo}).
 */
final class LiveRanking {

    private LiveRanking() {
    }

    static Map<UUID, Long> ranks(Collection<Participant> participants, ScoreOrder order, Ranking ranking) {
        List<Participant> ranked = new ArrayList<>(participants.size());
        for (Participant p : participants) {
            if (!p.removed()) {
                ranked.add(p);
            }
        }
        Comparator<Participant> byScore = (a, b) -> order == ScoreOrder.LOWEST_FIRST
                ? a.score().compareTo(b.score()) : b.score().compareTo(a.score());
        if (ranking == Ranking.ORDINAL) {
            byScore = byScore.thenComparingLong(Participant::scoreReachedPosition)
                    .thenComparing(Participant::participantId, LiveRanking::postgresUuidOrder);
        }
        ranked.sort(byScore);
        Map<UUID, Long> ranks = new HashMap<>(ranked.size() * 2);
        long rank = 0;
        long distinct = 0;
        Participant previous = null;
        for (int i = 0; i < ranked.size(); i++) {
            Participant p = ranked.get(i);
            boolean tie = previous != null && previous.score().compareTo(p.score()) == 0;
            if (!tie) {
                distinct++;
                rank = i + 1;
            }
            ranks.put(p.participantId(), switch (ranking) {
                case STANDARD -> rank;
                case DENSE -> distinct;
                case ORDINAL -> (long) i + 1;
            });
            previous = p;
        }
        return ranks;
    }

    static int postgresUuidOrder(UUID a, UUID b) {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }
}
