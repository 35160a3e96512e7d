package io.scoreboard.startup;

/**
 * The PostgreSQL roles every part of the system agrees on (ADR 0002, ADR 0009): the migrations create and
 * grant to them (infra/database), the services connect as {@link #APP}, the operator CLI and the migrations
 * Job as {@link #OWNER}, analysts as {@link #ANALYST}, and the Kubernetes manifests declare them.
 */
public final class DatabaseRoles {

    /** Owns every table and runs migrations; what rebuild and restore-event-store need. */
    public static final String OWNER = "scoreboard_owner";
    /** What the services connect as: it cannot change or remove stored events. */
    public static final String APP = "scoreboard_app";
    /** Reads the read model's views and nothing else. */
    public static final String ANALYST = "scoreboard_analyst";

    private DatabaseRoles() {}
}
