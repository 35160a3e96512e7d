package io.scoreboard.events;

/**
 * What a board's token may do: an admin token everything, a scorekeeper token change scores, a reader
 * token only read (it matters for private boards). Published in {@link TokenIssuedEvent}; never renamed.
 */
public enum TokenKind {
    ADMIN,
    SCOREKEEPER,
    READER
}
