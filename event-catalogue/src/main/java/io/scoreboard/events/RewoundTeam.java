package io.scoreboard.events;

import java.util.Objects;
import java.util.UUID;

/**
 * A team as a rewind sets it: its name and whether it is removed, as they were at the rewind's instant (a team
 * created later is removed; one removed later comes back).
 */
public record RewoundTeam(UUID teamId, String name, boolean removed) {

    public RewoundTeam {
        Objects.requireNonNull(teamId, "teamId");
        Objects.requireNonNull(name, "name");
    }
}
