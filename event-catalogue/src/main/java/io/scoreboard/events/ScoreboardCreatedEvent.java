package io.scoreboard.events;

import java.util.Objects;
import java.util.UUID;

/**
 * A scoreboard came into existence. Carries only hashes of its access tokens: events live
 * forever and travel to Kafka, so no secret may ever be inside one.
 */
@EventType(name = "ScoreboardCreated", version = 1)
public record ScoreboardCreatedEvent(
        UUID scoreboardId,
        String name,
        ScoreOrder scoreOrder,
        Ranking ranking,
        String adminTokenHash,
        String scorekeeperTokenHash) implements ScoreboardEvent {

    public ScoreboardCreatedEvent {
        Objects.requireNonNull(scoreboardId, "scoreboardId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(scoreOrder, "scoreOrder");
        Objects.requireNonNull(ranking, "ranking");
        Objects.requireNonNull(adminTokenHash, "adminTokenHash");
        Objects.requireNonNull(scorekeeperTokenHash, "scorekeeperTokenHash");
    }
}
