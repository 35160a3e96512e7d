package io.scoreboard.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;
import java.util.UUID;

/**
 * A scoreboard came into existence. Carries only hashes of its access tokens: events live
 * forever and travel to Kafka, so no secret may ever be inside one. {@code visibility} is absent on boards
 * created before boards could be private (they are public), and on a public board's JSON it says so.
 */
@EventType(name = "ScoreboardCreated", version = 1)
public record ScoreboardCreatedEvent(
        UUID scoreboardId,
        String name,
        ScoreOrder scoreOrder,
        Ranking ranking,
        String adminTokenHash,
        String scorekeeperTokenHash,
        @JsonInclude(JsonInclude.Include.NON_NULL) Visibility visibility) implements ScoreboardEvent {

    @JsonCreator
    public ScoreboardCreatedEvent {
        Objects.requireNonNull(scoreboardId, "scoreboardId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(scoreOrder, "scoreOrder");
        Objects.requireNonNull(ranking, "ranking");
        Objects.requireNonNull(adminTokenHash, "adminTokenHash");
        Objects.requireNonNull(scorekeeperTokenHash, "scorekeeperTokenHash");
    }

    /** A board as created before boards could be private. */
    public ScoreboardCreatedEvent(UUID scoreboardId, String name, ScoreOrder scoreOrder, Ranking ranking,
                                  String adminTokenHash, String scorekeeperTokenHash) {
        this(scoreboardId, name, scoreOrder, ranking, adminTokenHash, scorekeeperTokenHash, null);
    }

    /** The board's visibility: public unless the event says otherwise. */
    public Visibility visibilityOrDefault() {
        return visibility == null ? Visibility.PUBLIC : visibility;
    }
}
