package io.scoreboard.projections.scoreboard;

/**
 * Part of a board's ranking: {@code board.participants()} holds only the requested slice (a page, or
 * one participant and its neighbours), each with its rank over the whole board, in rank order.
 * {@code totalParticipants} counts every current participant of the board.
 */
public record BoardSlice(ScoreboardView board, long totalParticipants) {
}
