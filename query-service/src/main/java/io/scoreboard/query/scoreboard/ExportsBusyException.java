package io.scoreboard.query.scoreboard;

import java.time.Duration;

/**
 * As many CSV exports as allowed are in progress ({@code scoreboard.query.exports.max-concurrent}):
 * 503 with Retry-After and code {@value #CODE}, decided before anything is read or sent.
 */
public class ExportsBusyException extends RuntimeException {

    public static final String CODE = "EXPORTS_BUSY";

    private final Duration retryAfter;

    ExportsBusyException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
