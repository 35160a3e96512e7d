package io.scoreboard.infra.database;

import io.scoreboard.startup.DatabaseRoles;
import java.util.Objects;
import java.util.Optional;

/**
 * The roles of the system. The owner owns every table and runs migrations; the app role is what the
 * services connect as, and it cannot change or remove stored events (README: "Databases and roles"). See
 * docs/adr/0002-two-roles-and-append-only-events.md. The analyst role reads the read model and
 * nothing else (docs/adr/0009-analyst-role-and-views.md).
 *
 * @param analyst the analyst role's login, or empty when no password is configured for it: the role
 *                is then only made to exist (without login) so that the read migrations can grant
 *                to it, and a role that already exists keeps its password
 */
public record ScoreboardRoles(RoleCredentials owner, RoleCredentials app, Optional<RoleCredentials> analyst) {

    public ScoreboardRoles {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(analyst, "analyst");
    }

    /** Owner and app role only; the analyst role exists but gets no login from this configuration. */
    public ScoreboardRoles(RoleCredentials owner, RoleCredentials app) {
        this(owner, app, Optional.empty());
    }

    public static ScoreboardRoles withPasswords(String ownerPassword, String appPassword) {
        return new ScoreboardRoles(new RoleCredentials(DatabaseRoles.OWNER, ownerPassword),
                new RoleCredentials(DatabaseRoles.APP, appPassword));
    }

    public static ScoreboardRoles withPasswords(String ownerPassword, String appPassword, String analystPassword) {
        return new ScoreboardRoles(new RoleCredentials(DatabaseRoles.OWNER, ownerPassword),
                new RoleCredentials(DatabaseRoles.APP, appPassword),
                Optional.of(new RoleCredentials(DatabaseRoles.ANALYST, analystPassword)));
    }

    /** The analyst role's name, whether or not it can log in. */
    public String analystRole() {
        return analyst.map(RoleCredentials::user).orElse(DatabaseRoles.ANALYST);
    }
}
