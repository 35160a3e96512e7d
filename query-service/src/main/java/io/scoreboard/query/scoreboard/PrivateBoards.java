package io.scoreboard.query.scoreboard;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.scoreboard.events.TokenHash;
import io.scoreboard.projections.scoreboard.BoardAccess;
import io.scoreboard.query.projection.AppliedVersions;
import jakarta.servlet.http.HttpServletRequest;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Decides whether a read of a board may go on (ADR 0041): a public board's always, a private board's only with one
 * of its working tokens, else {@code 404} exactly as for a board that does not exist, so a private board's
 * existence does not leak. Asked by the one funnel every read of a board goes through
 * ({@code ScoreboardQueries.read}), after its parameters were checked, its {@code minPosition} waited for and the
 * board found: a private board and a board that does not exist answer alike at every step.
 *
 * <p>The token is the current request's: {@code Authorization: Bearer …}, or {@code ?token=} (the live page's
 * {@code EventSource} cannot set headers). A malformed header is no token: a private read never answers 401.
 *
 * <p>A board's access is kept in memory with the version it was read at, and used while the board is still at that
 * version, as the read itself and the projection runner's memory (ADR 0028) see it; otherwise it is one indexed
 * read. A read of an unchanged board costs no statement. A token revoked,
 * or a board made private, is honoured from the moment the read model has applied the event.
 */
@Component
public class PrivateBoards {

    private final DataSource dataSource;
    private final AppliedVersions appliedVersions;
    private final Cache<UUID, BoardAccess> known;

    PrivateBoards(DataSource dataSource, AppliedVersions appliedVersions, MeterRegistry meters) {
        this.dataSource = dataSource;
        this.appliedVersions = appliedVersions;
        this.known = Caffeine.newBuilder().maximumSize(100_000).recordStats().build();
        CaffeineCacheMetrics.monitor(meters, known, "board_access");
    }

    /**
     * Returns when the current request may read the board; throws {@link ScoreboardNotFoundException} (as for a
     * board that does not exist, at {@code projectionPosition}) when the board is private to it.
     *
     * @param seenVersion the board's version the read just saw: what is kept at that version is current
     */
    public void requireReadable(UUID scoreboardId, long seenVersion, long projectionPosition) throws SQLException {
        Optional<BoardAccess> access = access(scoreboardId, seenVersion);
        if (access.isPresent() && access.get().isPrivate()) {
            if (!access.get().admits(presentedTokenHash())) {
                throw new ScoreboardNotFoundException(scoreboardId, "does not exist", projectionPosition);
            }
        }
    }

    private Optional<BoardAccess> access(UUID scoreboardId, long seenVersion) throws SQLException {
        BoardAccess kept = known.getIfPresent(scoreboardId);
        if (kept != null) {
            OptionalLong applied = appliedVersions.version(scoreboardId);
            long current = applied.isPresent() ? Math.max(applied.getAsLong(), seenVersion) : seenVersion;
            if (current == kept.version()) {
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

    /** The SHA-256 of the token the current request presents, or null (no request, no token, a malformed header). */
    public static String presentedTokenHash() {
        String token = presentedToken();
        return token == null ? null : TokenHash.of(token);
    }

    /** The token the current request presents, or null (no request, no token, a malformed header). */
    static String presentedToken() {
        if (!(RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)) {
            return null;
        }
        HttpServletRequest request = attributes.getRequest();
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header != null) {
            String value = header.strip();
            if (value.length() > 7 && value.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
                String token = value.substring(7).strip();
                return token.isEmpty() ? null : token;
            }
            return null;
        }
        String parameter = request.getParameter("token");
        return parameter == null || parameter.isBlank() ? null : parameter.strip();
    }
}
