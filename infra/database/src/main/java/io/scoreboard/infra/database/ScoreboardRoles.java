package io.scoreboard.infra.database;

/**
 * The two roles of the system. The owner owns every table and runs migrations; the app role is
 * what the services connect as, and it cannot change or remove stored events (SPEC: storage
 * contract). See docs/adr/0002-two-roles-append-only.md.
 */
public record ScoreboardRoles(RoleCredentials owner, RoleCredentials app) {

    public static final String OWNER_ROLE = "scoreboard_owner";
    public static final String APP_ROLE = "scoreboard_app";

    public static ScoreboardRoles withPasswords(String ownerPassword, String appPassword) {
        return new ScoreboardRoles(new RoleCredentials(OWNER_ROLE, ownerPassword),
                new RoleCredentials(APP_ROLE, appPassword));
    }
}
