package io.scoreboard.query.access;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Runs {@link PrivateBoards#requireReadable} before every API handler whose path names a board
 * ({@code {scoreboardId}}): reads, exports and the live stream. The token comes from
 * {@code Authorization: Bearer …}, or from {@code ?token=} (the live page's {@code EventSource} cannot set
 * headers). A path whose id is no UUID goes on to its handler, which answers 400.
 */
class PrivateBoardInterceptor implements HandlerInterceptor {

    static final String BOARD_VARIABLE = "scoreboardId";

    private final PrivateBoards privateBoards;

    PrivateBoardInterceptor(PrivateBoards privateBoards) {
        this.privateBoards = privateBoards;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, String> variables = (Map<String, String>) request.getAttribute(
                HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        String id = variables == null ? null : variables.get(BOARD_VARIABLE);
        if (id == null) {
            return true;
        }
        UUID scoreboardId;
        try {
            scoreboardId = UUID.fromString(id);
        } catch (IllegalArgumentException notAnId) {
            return true;
        }
        privateBoards.requireReadable(scoreboardId, token(request), minPosition(request));
        return true;
    }

    /** The presented token, or null: a malformed header is no token (a private board answers 404, never 401). */
    static String token(HttpServletRequest request) {
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

    /** {@code ?minPosition=} when it is a number; anything else is left to the handler's own 400. */
    private static Long minPosition(HttpServletRequest request) {
        String value = request.getParameter("minPosition");
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
