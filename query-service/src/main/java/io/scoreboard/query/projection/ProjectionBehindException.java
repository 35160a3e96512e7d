package io.scoreboard.query.projection;

import java.time.Duration;

/**
 * The projection could not show a requested position in time (or the topic's end could not be
 * read). Not the client's fault and not permanent: answered 503 with Retry-After.
 */
public class ProjectionBehindException extends RuntimeException {

    private final Duration retryAfter;

    public ProjectionBehindException(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
