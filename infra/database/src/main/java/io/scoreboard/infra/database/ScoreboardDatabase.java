package io.scoreboard.infra.database;

/** The two databases and the migrations that define each. */
public enum ScoreboardDatabase {
    /** Axon's append-only event store and the replicator's token. Owned by the command side. */
    EVENTS("scoreboard_events", "classpath:db/migration/events"),
    /** Projections and their checkpoints. Everything here can be rebuilt from events. */
    READ("scoreboard_read", "classpath:db/migration/read");

    private final String defaultName;
    private final String migrationLocation;

    ScoreboardDatabase(String defaultName, String migrationLocation) {
        this.defaultName = defaultName;
        this.migrationLocation = migrationLocation;
    }

    public String defaultName() {
        return defaultName;
    }

    public String migrationLocation() {
        return migrationLocation;
    }
}
