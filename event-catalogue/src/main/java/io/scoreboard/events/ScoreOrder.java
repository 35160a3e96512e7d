package io.scoreboard.events;

/** Which end of the score range ranks first. */
public enum ScoreOrder {
    HIGHEST_FIRST,
    LOWEST_FIRST
}
