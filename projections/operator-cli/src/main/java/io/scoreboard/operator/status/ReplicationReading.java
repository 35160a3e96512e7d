package io.scoreboard.operator.status;

import io.scoreboard.startup.ReplicationLagQueries;
import io.scoreboard.startup.ReplicatorToken;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How far Kafka is behind the event store, computed as command-service's ReplicationStatus does:
 * every stored event the replicator's committed token does not cover (above its index, or one of
 * its gaps) counts, late-committing ones included; the age is that of the oldest such event.
 *
 * @param replicatedPosition highest position the replicator has passed, -1 before its first batch
 * @param lagEvents          stored events not yet acknowledged by Kafka
 * @param lagMillis          age of the oldest of them, 0 when none
 */
public record ReplicationReading(long replicatedPosition, List<Long> gaps, long lagEvents, long lagMillis) {

    /** Reads within the caller's snapshot, so the lag matches the event counts shown beside it. */
    static ReplicationReading read(Connection c, Instant now) throws SQLException {
        Optional<ReplicatorToken.Coverage> coverage = ReplicatorToken.read(c);
        long index = coverage.map(ReplicatorToken.Coverage::index).orElse(-1L);
        List<Long> gaps = coverage.map(ReplicatorToken.Coverage::gaps).orElse(List.of());
        long lagEvents;
        long lagMillis = 0;
        try (PreparedStatement p = notCovered(c, ReplicationLagQueries.COUNT_NOT_COVERED, index, gaps);
             ResultSet rs = p.executeQuery()) {
            rs.next();
            lagEvents = rs.getLong(1);
        }
        try (PreparedStatement p = notCovered(c, ReplicationLagQueries.OLDEST_NOT_COVERED, index, gaps);
             ResultSet rs = p.executeQuery()) {
            if (rs.next()) {
                lagMillis = Math.max(0, Duration.between(Instant.parse(rs.getString(1)), now).toMillis());
            }
        }
        return new ReplicationReading(index, gaps, lagEvents, lagMillis);
    }

    private static PreparedStatement notCovered(Connection c, String sql, long index, List<Long> gaps)
            throws SQLException {
        PreparedStatement p = c.prepareStatement(sql);
        p.setLong(1, index);
        p.setArray(2, c.createArrayOf("bigint", gaps.toArray()));
        return p;
    }
}
