package io.scoreboard.events;

import java.util.Objects;
import java.util.UUID;

/**
 * How the board ranks changed: which end ranks first and how ties share ranks. Carries both rules,
 * whichever changed, so a reader never has to look further back to know them.
 */
@EventType(name = "RankingRulesChanged", version = 1)
public record RankingRulesChangedEvent(UUID scoreboardId, ScoreOrder scoreOrder, Ranking ranking)
        implements ScoreboardEvent {

    public RankingRulesChangedEvent {
        Objects.requireNonNull(scoreboardId, "scoreboardId");
        Objects.requireNonNull(scoreOrder, "scoreOrder");
        Objects.requireNonNull(ranking, "ranking");
    }
}
