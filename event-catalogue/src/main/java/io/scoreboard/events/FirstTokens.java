package io.scoreboard.events;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The ids and labels of a board's first two tokens, whose hashes {@link ScoreboardCreatedEvent} carries. That
 * event was published before tokens had ids, so its meaning cannot grow one: every reader derives the same ids
 * from the board id instead (a name-based UUID), for boards created before and after tokens had ids alike.
 */
public final class FirstTokens {

    public static final String ADMIN_LABEL = "admin (created with the board)";
    public static final String SCOREKEEPER_LABEL = "scorekeeper (created with the board)";

    private FirstTokens() {}

    public static UUID adminTokenId(UUID scoreboardId) {
        return derived(scoreboardId, "admin");
    }

    public static UUID scorekeeperTokenId(UUID scoreboardId) {
        return derived(scoreboardId, "scorekeeper");
    }

    private static UUID derived(UUID scoreboardId, String kind) {
        return UUID.nameUUIDFromBytes(("scoreboard-token:" + scoreboardId + ":" + kind).getBytes(StandardCharsets.UTF_8));
    }
}
