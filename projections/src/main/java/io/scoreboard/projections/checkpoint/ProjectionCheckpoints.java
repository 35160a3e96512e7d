package io.scoreboard.projections.checkpoint;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code projection_checkpoints} table: per projection, topic and partition, the next offset
 * to read. Saved with the caller's connection, inside the same transaction as the projection's
 * changes; that is what makes a re-delivered batch a no-op instead of a double count.
 */
public final class ProjectionCheckpoints {

    /** Checkpoints of one projection on one topic, by partition. */
    public Map<Integer, PartitionCheckpoint> load(Connection connection, String projection, String topic)
            throws SQLException {
        return load(connection, projection, topic, false);
    }

    /**
     * The same, locking the rows until the transaction ends: a writer that checks "nobody moved my
     * checkpoints" (a rebuild switching the read model, another instance after a rebalance) before
     * it applies a batch.
     */
    public Map<Integer, PartitionCheckpoint> loadForUpdate(Connection connection, String projection, String topic)
            throws SQLException {
        return load(connection, projection, topic, true);
    }

    private Map<Integer, PartitionCheckpoint> load(Connection connection, String projection, String topic,
                                                   boolean forUpdate) throws SQLException {
        Map<Integer, PartitionCheckpoint> result = new HashMap<>();
        try (PreparedStatement p = connection.prepareStatement("""
                SELECT kafka_partition, next_offset, max_position, topic_id
                  FROM projection_checkpoints
                 WHERE projection_name = ? AND topic = ?""" + (forUpdate ? " FOR UPDATE" : ""))) {
            p.setString(1, projection);
            p.setString(2, topic);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    int partition = rs.getInt(1);
                    result.put(partition, new PartitionCheckpoint(partition, rs.getLong(2), rs.getLong(3),
                            rs.getString(4)));
                }
            }
        }
        return result;
    }

    /**
     * Stores the checkpoints as given. A plain overwrite, not a maximum: after a topic is deleted
     * and republished its offsets restart, and a checkpoint that refused to go back would claim
     * events the projection has not read.
     */
    public void save(Connection connection, String projection, String topic,
                     Collection<PartitionCheckpoint> checkpoints) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement("""
                INSERT INTO projection_checkpoints
                       (projection_name, topic, kafka_partition, next_offset, max_position, topic_id, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, now())
                ON CONFLICT (projection_name, topic, kafka_partition)
                DO UPDATE SET next_offset = EXCLUDED.next_offset,
                              max_position = EXCLUDED.max_position,
                              topic_id = EXCLUDED.topic_id,
                              updated_at = EXCLUDED.updated_at""")) {
            for (PartitionCheckpoint checkpoint : checkpoints) {
                p.setString(1, projection);
                p.setString(2, topic);
                p.setInt(3, checkpoint.partition());
                p.setLong(4, checkpoint.nextOffset());
                p.setLong(5, checkpoint.maxPosition());
                p.setString(6, checkpoint.topicId());
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    /** Highest event position the projection has applied from this topic; 0 before any event. */
    public long appliedPosition(Connection connection, String projection, String topic) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement("""
                SELECT COALESCE(MAX(max_position), 0)
                  FROM projection_checkpoints
                 WHERE projection_name = ? AND topic = ?""")) {
            p.setString(1, projection);
            p.setString(2, topic);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
