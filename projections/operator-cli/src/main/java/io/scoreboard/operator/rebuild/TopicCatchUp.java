package io.scoreboard.operator.rebuild;

import io.scoreboard.operator.source.TopicEvents;
import io.scoreboard.projections.Projection;
import io.scoreboard.projections.checkpoint.PartitionCheckpoint;
import io.scoreboard.projections.checkpoint.ProjectionCheckpoints;
import io.scoreboard.projections.scoreboard.ScoreboardProjection;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Brings a read-model schema from its stored checkpoints up to given topic offsets through the live
 * projection and its checkpoints, inside the caller's transaction. Only for the short tail that
 * arrived while a rebuild was folding; the bulk goes through {@link ReadModelCopy}.
 */
final class TopicCatchUp {

    private static final ScoreboardProjection PROJECTION = new ScoreboardProjection();
    private static final ProjectionCheckpoints CHECKPOINTS = new ProjectionCheckpoints();

    private TopicCatchUp() {}

    /**
     * Applies every record between the schema's checkpoints and {@code to} (partitions already at or
     * past their target are left alone) and moves the checkpoints. Returns the records read.
     */
    static long run(Connection c, String schema, TopicEvents topic, String topicId, Map<Integer, Long> to)
            throws Exception {
        useSchema(c, schema);
        Map<Integer, PartitionCheckpoint> stored = CHECKPOINTS.load(c, ScoreboardProjection.NAME, topic.topic());
        Map<Integer, Long> from = new HashMap<>();
        Map<Integer, Long> target = new HashMap<>();
        for (Map.Entry<Integer, Long> end : to.entrySet()) {
            PartitionCheckpoint cp = stored.get(end.getKey());
            long start = cp == null || !cp.belongsTo(topicId) ? 0 : cp.nextOffset();
            if (start < end.getValue()) {
                from.put(end.getKey(), start);
                target.put(end.getKey(), end.getValue());
            }
        }
        if (target.isEmpty()) {
            return 0;
        }
        Map<Integer, Long> maxPositions = new HashMap<>();
        long[] read = {0};
        Projection.Batch batch = PROJECTION.batch(c);
        topic.read(from, target, (partition, offset, event) -> {
            batch.apply(event);
            maxPositions.merge(partition, event.position(), Math::max);
            read[0]++;
        });
        batch.finish();
        List<PartitionCheckpoint> moved = new ArrayList<>();
        target.forEach((partition, next) -> {
            PartitionCheckpoint cp = stored.get(partition);
            long previousMax = cp == null ? 0 : cp.maxPosition();
            moved.add(new PartitionCheckpoint(partition, next,
                    Math.max(previousMax, maxPositions.getOrDefault(partition, 0L)), topicId));
        });
        CHECKPOINTS.save(c, ScoreboardProjection.NAME, topic.topic(), moved);
        return read[0];
    }

    /** The projection and its checkpoints name their tables unqualified: point them at {@code schema}. */
    static void useSchema(Connection c, String schema) throws java.sql.SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET LOCAL search_path = " + schema);
        }
    }
}
