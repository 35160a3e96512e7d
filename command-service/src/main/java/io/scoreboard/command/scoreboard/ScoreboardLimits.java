package io.scoreboard.command.scoreboard;

/**
 * Configurable limits of a board (scoreboard.limits.*), handed to the aggregate's command
 * handlers as a resource so the domain stays free of configuration code.
 */
public record ScoreboardLimits(int maxParticipants, int maxTokens, int maxTeams) {

    /** Tokens per board (not revoked) when none is configured: every one is checked on each refused write. */
    public static final int DEFAULT_MAX_TOKENS = 100;
    /** Teams per board (not removed) when none is configured. */
    public static final int DEFAULT_MAX_TEAMS = 1000;

    public ScoreboardLimits(int maxParticipants) {
        this(maxParticipants, DEFAULT_MAX_TOKENS);
    }

    public ScoreboardLimits(int maxParticipants, int maxTokens) {
        this(maxParticipants, maxTokens, DEFAULT_MAX_TEAMS);
    }

    public ScoreboardLimits {
        if (maxParticipants < 1) {
            throw new IllegalArgumentException("maxParticipants must be at least 1, was " + maxParticipants);
        }
        if (maxTokens < 2) {
            throw new IllegalArgumentException("maxTokens must be at least 2 (a board is created with two), was "
                    + maxTokens);
        }
        if (maxTeams < 1) {
            throw new IllegalArgumentException("maxTeams must be at least 1, was " + maxTeams);
        }
    }
}
