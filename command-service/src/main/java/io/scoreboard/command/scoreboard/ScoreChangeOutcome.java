package io.scoreboard.command.scoreboard;

import java.math.BigDecimal;

/** What a score change produced: the new score and the board's version (last sequence number). */
public record ScoreChangeOutcome(BigDecimal score, long version) {}
