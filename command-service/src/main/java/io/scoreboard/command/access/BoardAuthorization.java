package io.scoreboard.command.access;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.scoreboard.command.scoreboard.Access;
import io.scoreboard.command.scoreboard.BoardCredentials;
import io.scoreboard.command.scoreboard.CommandRejectedException;
import io.scoreboard.command.scoreboard.ErrorCode;
import java.util.UUID;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.stereotype.Component;

/**
 * Checks a write's bearer token against its board's credentials before the write takes a database
 * connection from the write pool, the board's lock or the board itself (ADR 0014): a wrong token
 * costs a look into memory, or on a miss one indexed read on a pool of its own, and cannot slow down
 * writes to other boards. Credentials never change after creation, so what is kept cannot go stale.
 */
@Component
public class BoardAuthorization implements DisposableBean {

    private final StoredCredentials stored;
    private final Cache<UUID, BoardCredentials> known;

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
        BoardCredentials credentials = known.get(scoreboardId, id -> stored.read(id).orElse(null));
        if (credentials == null) {
            throw new CommandRejectedException(ErrorCode.SCOREBOARD_NOT_FOUND,
                    "scoreboard " + scoreboardId + " does not exist");
        }
        credentials.require(scoreboardId, tokenHash, access);
    }

    @Override
    public void destroy() {
        stored.close();
    }
}
