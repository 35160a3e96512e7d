package io.scoreboard.projections.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoreboard.projections.ReadDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ProjectionCheckpointsTest {

    @RegisterExtension
    static final ReadDatabase db = new ReadDatabase();
    private final ProjectionCheckpoints checkpoints = new ProjectionCheckpoints();

    @Test
    void save_overwritesPerPartition_andAppliedPositionIsTheMaximum() throws SQLException {
        try (Connection c = db.connect()) {
            assertThat(checkpoints.appliedPosition(c, "p", "t")).isZero();

            checkpoints.save(c, "p", "t", List.of(new PartitionCheckpoint(0, 10, 100), new PartitionCheckpoint(1, 4, 250)));
            checkpoints.save(c, "p", "t", List.of(new PartitionCheckpoint(0, 12, 120)));
            checkpoints.save(c, "other", "t", List.of(new PartitionCheckpoint(0, 99, 999)));

            assertThat(checkpoints.load(c, "p", "t")).containsOnly(
                    java.util.Map.entry(0, new PartitionCheckpoint(0, 12, 120)),
                    java.util.Map.entry(1, new PartitionCheckpoint(1, 4, 250)));
            assertThat(checkpoints.appliedPosition(c, "p", "t")).isEqualTo(250);
            assertThat(checkpoints.load(c, "p", "other-topic")).isEmpty();
        }
    }
}
