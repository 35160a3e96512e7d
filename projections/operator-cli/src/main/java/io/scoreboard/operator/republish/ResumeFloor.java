package io.scoreboard.operator.republish;

import io.scoreboard.startup.EventStoreTables;
import io.scoreboard.startup.ReplicatorToken;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * How far back a republish must go when PostgreSQL dropped its snapshot and it reads on in a new one.
 * A transaction that was still running when the old snapshot was taken may commit later with a lower
 * position than the ones already sent; its board's next events, in the new snapshot, would then reach
 * the topic without it. Such a late position can only be one the replicator had not covered when it
 * was paused (above its token's index, or one of its gaps), and missing from the old snapshot: so the
 * old snapshot's first hole above the token, or the token's lowest gap, bounds every late position
 * from below. Reading on from just before that floor re-sends a few events (consumers skip copies)
 * and misses none.
 */
final class ResumeFloor {

    private ResumeFloor() {}

    /** The lowest position that may still commit after the caller's snapshot (call inside it). */
    static long of(Connection snapshot, ReplicatorToken.Coverage paused) throws SQLException {
        long floor;
        try (PreparedStatement p = snapshot.prepareStatement("""
                SELECT min(p) FROM (
                  SELECT CAST(? AS bigint) + 1 AS p
                   WHERE NOT EXISTS (SELECT 1 FROM %1$s WHERE global_index = CAST(? AS bigint) + 1)
                  UNION ALL
                  SELECT e.global_index + 1 FROM %1$s e
                   WHERE e.global_index > ?
                     AND NOT EXISTS (SELECT 1 FROM %1$s n WHERE n.global_index = e.global_index + 1)
                ) holes""".formatted(EventStoreTables.EVENTS))) {
            p.setLong(1, paused.index());
            p.setLong(2, paused.index());
            p.setLong(3, paused.index());
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                floor = rs.getLong(1);
            }
        }
        for (long gap : paused.gaps()) {
            floor = Math.min(floor, gap);
        }
        return floor;
    }
}
