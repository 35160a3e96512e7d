package io.scoreboard.command.scoreboard;

import java.util.UUID;

/**
 * The hashes of a board's two tokens, as its {@code ScoreboardCreated} event holds them, and the one
 * rule for them: the admin token may do everything, the scorekeeper token only scoring. The aggregate
 * checks it on every command; the command path checks it once more before it takes the board's lock.
 */
public record BoardCredentials(String adminTokenHash, String scorekeeperTokenHash) {

    /** Throws FORBIDDEN unless {@code tokenHash} is allowed {@code access} to board {@code scoreboardId}. */
    public void require(UUID scoreboardId, String tokenHash, Access access) {
        boolean admin = AccessTokens.matches(adminTokenHash, tokenHash);
        boolean scorekeeper = AccessTokens.matches(scorekeeperTokenHash, tokenHash);
        if (!admin && !(access == Access.SCOREKEEPER && scorekeeper)) {
            throw new CommandRejectedException(ErrorCode.FORBIDDEN, scorekeeper
                    ? "the scorekeeper token may only change scores; this needs the admin token"
                    : "the bearer token is not valid for scoreboard " + scoreboardId);
        }
    }
}
