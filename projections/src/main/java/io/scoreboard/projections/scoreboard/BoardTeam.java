package io.scoreboard.projections.scoreboard;

import java.util.UUID;

/** One of a board's current (not removed) teams, as the board answer lists them (ADR 0046). */
public record BoardTeam(UUID teamId, String name) {
}
