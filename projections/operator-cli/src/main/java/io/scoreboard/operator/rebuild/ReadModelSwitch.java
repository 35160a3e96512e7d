package io.scoreboard.operator.rebuild;

import io.scoreboard.infra.database.ReadModelSchema;
import io.scoreboard.operator.source.TopicEvents;
import io.scoreboard.projections.checkpoint.PartitionCheckpoint;
import io.scoreboard.projections.checkpoint.ProjectionCheckpoints;
import io.scoreboard.projections.scoreboard.ScoreboardProjection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The atomic switch: in one transaction, the live projection's checkpoints are locked (its runner
 * cannot commit a batch meanwhile; queries go on reading), the rebuilt copy is caught up to exactly
 * where the live model stands, and the two schemas swap names. Queries resolve {@code read_model}
 * by name, so the next one reads the rebuilt copy, whole; none sees a half-built board. The live
 * runner notices its checkpoints moved and continues from the copy's (docs/adr/0008).
 */
final class ReadModelSwitch {

    private static final ProjectionCheckpoints CHECKPOINTS = new ProjectionCheckpoints();

    private ReadModelSwitch() {}

    /**
     * @param retired the name the previous live schema gets (kept, never dropped)
     * @return the records applied inside the switch to reach the live model's position
     */
    static Result run(Connection c, String shadow, String retired, Optional<TopicEvents> topic, String topicId)
            throws Exception {
        long started = System.nanoTime();
        c.setAutoCommit(false);
        try {
            try (Statement s = c.createStatement()) {
                // A long wait for the lock would stall the live runner behind us: give up instead.
                s.execute("SET LOCAL lock_timeout = '30s'");
            }
            boolean liveExists = schemaExists(c, ReadModelSchema.LIVE);
            long caughtUp = 0;
            if (liveExists) {
                try (Statement s = c.createStatement()) {
                    s.execute("LOCK TABLE " + ReadModelSchema.LIVE + ".projection_checkpoints IN EXCLUSIVE MODE");
                }
                if (topic.isPresent()) {
                    TopicCatchUp.useSchema(c, ReadModelSchema.LIVE);
                    Map<Integer, PartitionCheckpoint> live = CHECKPOINTS.load(c, ScoreboardProjection.NAME,
                            topic.get().topic());
                    Map<Integer, Long> liveOffsets = new HashMap<>();
                    live.forEach((p, cp) -> {
                        if (cp.belongsTo(topicId)) {
                            liveOffsets.put(p, cp.nextOffset());
                        }
                    });
                    caughtUp = TopicCatchUp.run(c, shadow, topic.get(), topicId, liveOffsets);
                }
                try (Statement s = c.createStatement()) {
                    s.execute("ALTER SCHEMA " + ReadModelSchema.LIVE + " RENAME TO " + ReadModelSchema.requireName(retired));
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("ALTER SCHEMA " + ReadModelSchema.requireName(shadow) + " RENAME TO " + ReadModelSchema.LIVE);
            }
            c.commit();
            return new Result(liveExists, caughtUp, (System.nanoTime() - started) / 1_000_000);
        } catch (Exception e) {
            c.rollback();
            throw e;
        }
    }

    static boolean schemaExists(Connection c, String schema) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
            p.setString(1, schema);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * @param replacedLive whether a live model existed (and was kept under the retired name)
     * @param caughtUp     records applied inside the switch
     * @param lockMillis   how long the live runner was held up
     */
    record Result(boolean replacedLive, long caughtUp, long lockMillis) {}
}
