package io.scoreboard.command.scoreboard;

/**
 * Configurable limits of a board (scoreboard.limits.*), handed to the aggregate's command
 * handlers as a resource so the domain stays free of configuration code.
 */
public record ScoreboardLimits(int maxParticipants) {

    public ScoreboardLimits {
        if (maxParticipants < 1) {
            throw new IllegalArgumentException("maxParticipants must be at least 1, was " + maxParticipants);
        }
    }
}
