package io.scoreboard.events;

/**
 * Who may read a board: anyone ({@code PUBLIC}, the default), or only who holds one of its tokens
 * ({@code PRIVATE}: without one every read path answers 404, as if the board did not exist).
 */
public enum Visibility {
    PUBLIC,
    PRIVATE
}
