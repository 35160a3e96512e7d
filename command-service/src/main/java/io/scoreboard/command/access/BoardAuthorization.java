package io.scoreboard.command.access;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.scoreboard.command.scoreboard.Access;
import io.scoreboard.command.scoreboard.BoardCredentials;
import io.scoreboard.command.scoreboard.CommandRejectedException;
import io.scoreboard.command.scoreboard.ErrorCode;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.stereotype.Component;

/**
 * Checks a write's bearer token against its board's credentials before the write takes a database
 * connection from the write pool, the board's lock or the board itself (ADR 0014): a wrong token
 * costs a look into memory, or on a miss one indexed read on a pool of its own, and cannot slow down
 * writes to other boards.
 *
 * <p>Tokens are issued and revoked (ADR 0042), so what is kept can be behind the store; the aggregate, which
 * is never behind it under the board's lock, decides in the end. Behind means two things here. A revoked token
 * still kept as working passes this check and is refused by the aggregate: revocation is at once. A token issued
 * through another instance is unknown here: an unknown token makes this check read the board's credentials again,
 * but at most once per {@link #REREAD_AFTER_NANOS} per board, so a flood of wrong tokens costs one indexed read a
 * second per board, and a new token works everywhere within that second.
 */
@Component
public class BoardAuthorization implements DisposableBean {

    /** How old kept credentials must be before an unknown token makes this check read them again. */
    static final long REREAD_AFTER_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** A board's credentials and when they were read ({@link System#nanoTime()}). */
    private record Known(BoardCredentials credentials, long readAt) {}

    private final StoredCredentials stored;
    private final Cache<UUID, Known> known;

    public BoardAuthorization(DataSourceProperties dataSource, CredentialsProperties properties, MeterRegistry meters) {
        this.stored = new StoredCredentials(dataSource.determineUrl(), dataSource.determineUsername(),
                dataSource.determinePassword(), properties);
        this.known = Caffeine.newBuilder().maximumSize(properties.maxBoards()).recordStats().build();
        CaffeineCacheMetrics.monitor(meters, known, "board_credentials");
    }

    /**
     * Returns when {@code tokenHash} may do {@code access} on board {@code scoreboardId}; else throws
     * SCOREBOARD_NOT_FOUND (404) or FORBIDDEN (403), the same answers the aggregate gives.
     */
    public void authorize(UUID scoreboardId, String tokenHash, Access access) {
        // Concurrent misses of one board wait for a single read (Caffeine computes once per key).
        Known kept = known.get(scoreboardId, this::read);
        if (kept != null && kept.credentials().withHash(tokenHash).isEmpty()
                && System.nanoTime() - kept.readAt() >= REREAD_AFTER_NANOS) {
            kept = known.asMap().compute(scoreboardId, (id, current) -> current != null
                    && System.nanoTime() - current.readAt() < REREAD_AFTER_NANOS ? current : read(id));
        }
        if (kept == null) {
            throw notFound(scoreboardId);
        }
        kept.credentials().require(scoreboardId, tokenHash, access);
    }

    /**
     * The board's tokens as stored now, for an admin's list: read afresh (and kept) once the token is known to be an admin's, so a list shows what
     * another instance issued or revoked a moment ago. Throws as {@link #authorize} does.
     */
    public List<BoardCredentials.BoardToken> tokens(UUID scoreboardId, String tokenHash) {
        authorize(scoreboardId, tokenHash, Access.ADMIN); // a wrong token costs what it costs a write: no read
        Known fresh = read(scoreboardId);
        if (fresh == null) {
            known.invalidate(scoreboardId);
            throw notFound(scoreboardId);
        }
        known.put(scoreboardId, fresh);
        fresh.credentials().require(scoreboardId, tokenHash, Access.ADMIN);
        return fresh.credentials().tokens();
    }

    /** Drops what is kept of a board whose tokens this instance just changed, so its next write reads them. */
    public void forget(UUID scoreboardId) {
        known.invalidate(scoreboardId);
    }

    private Known read(UUID scoreboardId) {
        Optional<BoardCredentials> credentials = stored.read(scoreboardId);
        return credentials.map(c -> new Known(c, System.nanoTime())).orElse(null);
    }

    private static CommandRejectedException notFound(UUID scoreboardId) {
        return new CommandRejectedException(ErrorCode.SCOREBOARD_NOT_FOUND, "scoreboard " + scoreboardId + " does not exist");
    }

    @Override
    public void destroy() {
        stored.close();
    }
}
