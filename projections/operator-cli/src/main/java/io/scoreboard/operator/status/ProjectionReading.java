package io.scoreboard.operator.status;

import io.scoreboard.operator.cli.Target;
import io.scoreboard.operator.readmodel.ReadModelTables;
import io.scoreboard.projections.checkpoint.PartitionCheckpoint;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Where one projection stands in the topic: its stored checkpoint per partition. */
record ProjectionReading(String name, Map<Integer, PartitionCheckpoint> checkpoints) {

    /** Every projection with a checkpoint on {@code topic}; empty for an empty (or freshly rebuilt) read model. */
    static List<ProjectionReading> readAll(Target target) throws Exception {
        Map<String, Map<Integer, PartitionCheckpoint>> byName = new LinkedHashMap<>();
        try (Connection c = target.openRead()) {
            ReadModelTables.use(c);
            try (PreparedStatement p = c.prepareStatement("""
                    SELECT projection_name, kafka_partition, next_offset, max_position
                      FROM projection_checkpoints
                     WHERE topic = ?
                     ORDER BY projection_name, kafka_partition""")) {
                p.setString(1, target.topic());
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        int partition = rs.getInt(2);
                        byName.computeIfAbsent(rs.getString(1), n -> new TreeMap<>())
                                .put(partition, new PartitionCheckpoint(partition, rs.getLong(3), rs.getLong(4)));
                    }
                }
            }
        }
        List<ProjectionReading> result = new ArrayList<>();
        byName.forEach((name, checkpoints) -> result.add(new ProjectionReading(name, checkpoints)));
        return result;
    }

    long appliedPosition() {
        return checkpoints.values().stream().mapToLong(PartitionCheckpoint::maxPosition).max().orElse(0);
    }

    /** Records of the topic not applied yet, per partition (negative: the checkpoint is past the topic's end). */
    Map<Integer, Long> lag(Map<Integer, Long> endOffsets) {
        Map<Integer, Long> lag = new TreeMap<>();
        endOffsets.forEach((partition, end) -> {
            PartitionCheckpoint c = checkpoints.get(partition);
            lag.put(partition, end - (c == null ? 0 : c.nextOffset()));
        });
        return lag;
    }
}
