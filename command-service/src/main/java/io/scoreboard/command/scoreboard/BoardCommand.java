package io.scoreboard.command.scoreboard;

import java.util.UUID;

/**
 * What every command on an existing board carries: which board, the hash of the presented bearer
 * token, and optionally the version the client last saw (If-Match).
 */
public interface BoardCommand {
    UUID scoreboardId();

    String tokenHash();

    /** The board version the client expects, or null when it does not care. */
    Long expectedVersion();
}
