package io.scoreboard.httpedge.ratelimit;

/**
 * Whether a request may go on; when not, how many whole seconds until it may (at least 1, as
 * {@code Retry-After} needs).
 */
public record Verdict(boolean allowed, long retryAfterSeconds) {

    static final Verdict ALLOWED = new Verdict(true, 0);

    static Verdict refusedFor(long nanosToWait) {
        long seconds = (nanosToWait + 999_999_999L) / 1_000_000_000L;
        return new Verdict(false, Math.max(1, seconds));
    }
}
