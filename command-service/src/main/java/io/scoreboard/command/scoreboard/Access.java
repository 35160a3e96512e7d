package io.scoreboard.command.scoreboard;

/** What a command needs: the admin token may do everything, the scorekeeper token only scoring. */
public enum Access {
    ADMIN,
    SCOREKEEPER
}
