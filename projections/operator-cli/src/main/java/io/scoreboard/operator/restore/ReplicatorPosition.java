package io.scoreboard.operator.restore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Where the command service goes on after a restore: new events get positions above the restored
 * ones, and the replicator starts after them, because they are in Kafka already (re-publishing
 * them would be harmless for consumers, but would double the topic).
 */
final class ReplicatorPosition {

    private ReplicatorPosition() {}

    static void continueAfter(Connection c, long lastPosition, Instant now) throws SQLException {
        // The restore wrote explicit positions, so the column's sequence has not moved. setval is not
        // transactional: after a rollback it stays moved on an empty store, which is harmless (a
        // re-run sets it again, and positions may have gaps anyway).
        try (PreparedStatement p = c.prepareStatement(
                "SELECT setval(pg_get_serial_sequence('domain_event_entry', 'global_index'), ?)")) {
            p.setLong(1, lastPosition);
            p.execute();
        }
        // A stopped service may have left a row for the empty store: replace it. No owner, so the
        // first command service to start claims it at once.
        try (PreparedStatement p = c.prepareStatement("""
                INSERT INTO token_entry (processor_name, segment, token, token_type, timestamp, owner)
                VALUES (?, ?, ?, ?, ?, NULL)
                ON CONFLICT (processor_name, segment) DO UPDATE
                   SET token = EXCLUDED.token, token_type = EXCLUDED.token_type,
                       timestamp = EXCLUDED.timestamp, owner = NULL""")) {
            p.setString(1, AxonFormats.REPLICATOR_PROCESSOR);
            p.setInt(2, AxonFormats.REPLICATOR_SEGMENT);
            p.setBytes(3, AxonFormats.tokenAt(lastPosition));
            p.setString(4, AxonFormats.GAP_AWARE_TOKEN_TYPE);
            p.setString(5, AxonFormats.timestamp(now));
            p.executeUpdate();
        }
    }
}
