package io.scoreboard.query.scoreboard;

import io.scoreboard.projections.scoreboard.ScoreboardReader;
import io.scoreboard.projections.scoreboard.ScoreboardView;
import io.scoreboard.query.projection.ProjectionProgress;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.stereotype.Service;

/** Reads one board from the read model, first waiting for a requested position when asked to. */
@Service
public class ScoreboardQueries {

    private final DataSource dataSource;
    private final ScoreboardReader reader = new ScoreboardReader();
    private final ProjectionProgress progress;

    ScoreboardQueries(DataSource dataSource, ProjectionProgress progress) {
        this.dataSource = dataSource;
        this.progress = progress;
    }

    /**
     * A board and the projection position it reflects at least.
     *
     * @param projectionPosition read after any wait and before the board, so the board is at or past it
     */
    public record Answer(ScoreboardView view, long projectionPosition) {}

    /** The board, ranked, as it stands at or after {@code minPosition} (null: as it stands now). */
    public Answer find(UUID scoreboardId, Long minPosition) throws SQLException {
        if (minPosition != null) {
            if (minPosition < 0) {
                throw new InvalidQueryParameterException("minPosition must be a position from a command "
                        + "response (a whole number >= 0), got " + minPosition);
            }
            progress.awaitMinPosition(minPosition,
                    c -> reader.lastPosition(c, scoreboardId).orElse(-1) >= minPosition);
        }
        long projectionPosition = progress.appliedPosition();
        ScoreboardView view;
        try (Connection connection = dataSource.getConnection()) {
            view = reader.find(connection, scoreboardId)
                    .orElseThrow(() -> new ScoreboardNotFoundException(scoreboardId, "does not exist",
                            projectionPosition));
        }
        if (view.deleted()) {
            // SPEC: a deleted board answers 404 on the query API; its history stays in the store.
            throw new ScoreboardNotFoundException(scoreboardId, "has been deleted", projectionPosition);
        }
        return new Answer(view, projectionPosition);
    }
}
