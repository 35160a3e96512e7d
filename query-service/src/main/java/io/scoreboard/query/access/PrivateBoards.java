package io.scoreboard.query.access;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.scoreboard.events.TokenHash;
import io.scoreboard.projections.scoreboard.BoardAccess;
import io.scoreboard.projections.scoreboard.ScoreboardReader;
import io.scoreboard.query.projection.AppliedVersions;
import io.scoreboard.query.projection.ProjectionProgress;
import io.scoreboard.query.scoreboard.ScoreboardNotFoundException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.stereotype.Component;

/**
 * Decides whether a read of a board may go on (ADR 0041): a public board's always, a private board's only with one
 * of its working tokens, else {@code 404} exactly as for a board that does not exist, so a private board's
 * existence does not leak. Checked before any controller runs, for every path that names a board (the
 * {@link PrivateBoardInterceptor}), so an endpoint added later cannot forget it.
 *
 * <p>A board's access is kept in memory with the version it was read at, and used while the projection runner's
 * memory says the board is still at that version (ADR 0028); otherwise it is one indexed read. A token revoked,
 * or a board made private, is honoured from the moment the read model has applied the event.
 */
@Component
public class PrivateBoards {

    private final DataSource dataSource;
    private final AppliedVersions appliedVersions;
    private final ProjectionProgress progress;
    private final ScoreboardReader reader = new ScoreboardReader();
    private final Cache<UUID, BoardAccess> known;

    PrivateBoards(DataSource dataSource, AppliedVersions appliedVersions, ProjectionProgress progress,
                  MeterRegistry meters) {
        this.dataSource = dataSource;
        this.appliedVersions = appliedVersions;
        this.progress = progress;
        this.known = Caffeine.newBuilder().maximumSize(100_000).recordStats().build();
        CaffeineCacheMetrics.monitor(meters, known, "board_access");
    }

    /**
     * Returns when the board may be read with {@code token} (null: none presented), after waiting for
     * {@code minPosition} as the read itself would (so a private board created a moment ago is never read as an
     * unknown one); throws {@link ScoreboardNotFoundException} when the board is unknown or private to this reader.
     */
    public void requireReadable(UUID scoreboardId, String token, Long minPosition) throws SQLException {
        if (minPosition != null && minPosition >= 0) {
            progress.awaitMinPosition(minPosition,
                    c -> reader.lastPosition(c, scoreboardId).orElse(-1) >= minPosition);
        }
        Optional<BoardAccess> access = access(scoreboardId);
        if (access.isEmpty() || !access.get().admits(token == null ? null : TokenHash.of(token))) {
            throw new ScoreboardNotFoundException(scoreboardId, "does not exist", progress.recentAppliedPosition());
        }
    }

    private Optional<BoardAccess> access(UUID scoreboardId) throws SQLException {
        BoardAccess kept = known.getIfPresent(scoreboardId);
        if (kept != null) {
            OptionalLong applied = appliedVersions.version(scoreboardId);
            if (applied.isPresent() && applied.getAsLong() == kept.version()) {
                return Optional.of(kept);
            }
        }
        Optional<BoardAccess> read;
        try (Connection c = dataSource.getConnection()) {
            read = BoardAccess.read(c, scoreboardId);
        }
        read.ifPresentOrElse(a -> known.put(scoreboardId, a), () -> known.invalidate(scoreboardId));
        return read;
    }
}
