package io.scoreboard.projections.scoreboard;

import java.util.UUID;

/**
 * One {@code teams} row of a board: a team's name and whether it is removed (a removed team keeps its row for
 * history, and a rewind may bring it back). Its members are the participants whose {@code team_id} names it.
 */
public record TeamRow(UUID teamId, String name, boolean removed) {

    /** Canonical text of every column, for {@link BoardRow#checksum()}. */
    String text() {
        return teamId + "|" + name + "|" + removed;
    }
}
