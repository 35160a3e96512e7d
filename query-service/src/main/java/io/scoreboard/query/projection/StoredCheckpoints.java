package io.scoreboard.query.projection;

import io.scoreboard.projections.checkpoint.PartitionCheckpoint;
import io.scoreboard.projections.checkpoint.ProjectionCheckpoints;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The projection's checkpoints as stored (every instance's partitions), read once per
 * {@code scoreboard.query.check-interval} for every waiting read together (docs/adr/0019). Before, each
 * waiting read re-read them itself every interval: 64 reads waiting for a far-future position were
 * ~4,000 queries a second against the read database.
 */
final class StoredCheckpoints extends SharedLook<Map<Integer, PartitionCheckpoint>> {

    StoredCheckpoints(DataSource dataSource, ProjectionCheckpoints checkpoints, ProjectionRunner runner,
                      Duration checkInterval) {
        super("stored-checkpoints", () -> {
            try (Connection connection = dataSource.getConnection()) {
                return checkpoints.load(connection, runner.projectionName(), runner.topic());
            }
        }, checkInterval);
    }
}
