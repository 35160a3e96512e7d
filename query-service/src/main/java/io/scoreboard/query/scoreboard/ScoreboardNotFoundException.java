package io.scoreboard.query.scoreboard;

import java.util.UUID;

/**
 * The read model has no visible board with this id (never created, not projected yet, or deleted).
 * {@code projectionPosition} is the position the answer reflects (after any {@code minPosition} wait).
 */
public class ScoreboardNotFoundException extends RuntimeException {

    private final long projectionPosition;

    public ScoreboardNotFoundException(UUID scoreboardId, String why, long projectionPosition) {
        super("scoreboard " + scoreboardId + " " + why);
        this.projectionPosition = projectionPosition;
    }

    public long projectionPosition() {
        return projectionPosition;
    }
}
