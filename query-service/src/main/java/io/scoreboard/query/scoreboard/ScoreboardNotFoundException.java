package io.scoreboard.query.scoreboard;

import java.util.UUID;

/** The read model has no visible board with this id (never created, not projected yet, or deleted). */
public class ScoreboardNotFoundException extends RuntimeException {

    public ScoreboardNotFoundException(UUID scoreboardId, String why) {
        super("scoreboard " + scoreboardId + " " + why);
    }
}
