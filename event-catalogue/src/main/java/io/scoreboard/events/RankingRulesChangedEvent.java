package io.scoreboard.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;
import java.util.UUID;

/**
 * How the board ranks changed: which end ranks first and how ties share ranks. Carries both rules,
 * whichever changed, so a reader never has to look further back to know them.
 */
@EventType(name = "RankingRulesChanged", version = 1)
public record RankingRulesChangedEvent(UUID scoreboardId, ScoreOrder scoreOrder, Ranking ranking,
        @JsonInclude(JsonInclude.Include.NON_NULL) UUID tokenId)
        implements ScoreboardEvent {

    @JsonCreator
    public RankingRulesChangedEvent {
        Objects.requireNonNull(scoreboardId, "scoreboardId");
        Objects.requireNonNull(scoreOrder, "scoreOrder");
        Objects.requireNonNull(ranking, "ranking");
    }

    /** The event as written before tokens were recorded, or by no token (tokenId absent). */
    public RankingRulesChangedEvent(UUID scoreboardId, ScoreOrder scoreOrder, Ranking ranking) {
        this(scoreboardId, scoreOrder, ranking, null);
    }
}
