package io.scoreboard.startup;

/**
 * The event store's tables, named once for every process that reads or writes them: the command service
 * (through Axon's JDBC engine and its own replicator), the operator CLI (status, verify, republish,
 * restore-event-store), the benchmarks. The migrations in infra/database create them under these names
 * (checked by EventStoreTablesMigrationTest there).
 */
public final class EventStoreTables {

    /** Every stored event, one row each, with its global position ({@code global_index}). */
    public static final String EVENTS = "domain_event_entry";
    /** Axon's aggregate snapshots. */
    public static final String SNAPSHOTS = "snapshot_event_entry";
    /** Axon's token store: the replicator's claim and coverage live in its row ({@link ReplicatorToken}). */
    public static final String TOKENS = "token_entry";

    private EventStoreTables() {}
}
