package io.scoreboard.query.web;

import io.scoreboard.query.projection.ProjectionProgress;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Puts {@value #HEADER} on every API response, errors included: the highest event position the
 * projection had applied before the request was answered, so a client can tell how fresh an
 * answer is. Set before the handler runs (headers cannot be added once the body is written); a
 * handler that waited for a position overwrites it with {@link #stamp}.
 */
@Component
public class ProjectionPositionFilter extends OncePerRequestFilter {

    public static final String HEADER = "X-Projection-Position";

    private static final Logger log = LoggerFactory.getLogger(ProjectionPositionFilter.class);

    private final ProjectionProgress progress;

    ProjectionPositionFilter(ProjectionProgress progress) {
        this.progress = progress;
    }

    public static void stamp(HttpServletResponse response, long position) {
        response.setHeader(HEADER, Long.toString(position));
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            stamp(response, progress.recentAppliedPosition());
        } catch (SQLException | RuntimeException e) {
            // The request itself will meet the same database problem and answer 503; no guessed value here.
            log.debug("cannot read the projection position for {}", HEADER, e);
        }
        chain.doFilter(request, response);
    }
}
