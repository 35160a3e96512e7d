package io.scoreboard.query.projection;

import java.time.Duration;

/**
 * As many reads as allowed already wait for their {@code minPosition}
 * ({@code scoreboard.query.max-waiting-reads}): this one is refused at once, 503 with Retry-After and
 * code {@value #CODE}, instead of holding one more request thread.
 */
public class TooManyWaitingReadsException extends RuntimeException {

    public static final String CODE = "TOO_MANY_WAITING_READS";

    private final Duration retryAfter;

    public TooManyWaitingReadsException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
