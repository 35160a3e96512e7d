package io.scoreboard.startup;

/**
 * The two statements that measure replication lag, shared by the command service's replication status and the
 * operator CLI's: the stored events the replicator's token does not cover (above its index, or one of its
 * gaps), counted, and the oldest one's time. Both take two parameters: the token's index, then its gaps as a
 * {@code bigint[]}.
 *
 * <p>Each is two index range reads joined together. Written as {@code global_index > ? OR global_index = ANY (?)}
 * PostgreSQL read the whole event table instead, on every lag reading: 300–850 ms of database CPU at
 * 2 million events, once a second while a dashboard or a benchmark watched the lag (BENCHMARKS.md).
 */
public final class ReplicationLagQueries {

    public static final String COUNT_NOT_COVERED = "SELECT (SELECT count(*) FROM " + EventStoreTables.EVENTS
            + " WHERE global_index > ?) + (SELECT count(*) FROM " + EventStoreTables.EVENTS
            + " WHERE global_index = ANY (?))";

    public static final String OLDEST_NOT_COVERED = "SELECT time_stamp FROM ("
            + "(SELECT global_index, time_stamp FROM " + EventStoreTables.EVENTS
            + " WHERE global_index > ? ORDER BY global_index LIMIT 1)"
            + " UNION ALL (SELECT global_index, time_stamp FROM " + EventStoreTables.EVENTS
            + " WHERE global_index = ANY (?) ORDER BY global_index LIMIT 1)) oldest ORDER BY global_index LIMIT 1";

    private ReplicationLagQueries() {
    }
}
