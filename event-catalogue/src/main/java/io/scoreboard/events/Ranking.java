package io.scoreboard.events;

/** How equal scores share ranks: STANDARD "1224", DENSE "1223", ORDINAL "1234". */
public enum Ranking {
    STANDARD,
    DENSE,
    ORDINAL
}
