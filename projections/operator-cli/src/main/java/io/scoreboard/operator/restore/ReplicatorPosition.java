package io.scoreboard.operator.restore;

import io.scoreboard.startup.EventStoreTables;
import io.scoreboard.startup.ReplicatorToken;
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
                "SELECT setval(pg_get_serial_sequence('" + EventStoreTables.EVENTS + "', 'global_index'), ?)")) {
            p.setLong(1, lastPosition);
            p.execute();
        }
        // A stopped service may have left a row for the empty store: replace it. No owner, so the
        // first command service to start claims it at once.
        try (PreparedStatement p = c.prepareStatement("INSERT INTO " + EventStoreTables.TOKENS + """
                 (processor_name, segment, token, token_type, timestamp, owner)
                VALUES (?, ?, ?, ?, ?, NULL)
                ON CONFLICT (processor_name, segment) DO UPDATE
                   SET token = EXCLUDED.token, token_type = EXCLUDED.token_type,
                       timestamp = EXCLUDED.timestamp, owner = NULL""")) {
            p.setString(1, ReplicatorToken.PROCESSOR);
            p.setInt(2, ReplicatorToken.SEGMENT);
            // Everything up to the last position is in Kafka, and no gap is left below it (a gap in a restored
            // store never fills: the position sequence is already past it).
            p.setBytes(3, ReplicatorToken.format(lastPosition, new long[0]));
            p.setString(4, ReplicatorToken.TOKEN_TYPE);
            p.setString(5, AxonFormats.timestamp(now));
            p.executeUpdate();
        }
    }
}
