package io.scoreboard.infra.localstack.up;

import java.time.Duration;

/**
 * How long the supervisor waits before starting a child again: 1 s, then doubling up to 30 s, so a
 * child that dies at once does not spin; back to 1 s once a run has lasted 60 s.
 */
final class RestartBackoff {

    static final Duration FIRST = Duration.ofSeconds(1);
    static final Duration MAX = Duration.ofSeconds(30);
    static final Duration STABLE = Duration.ofSeconds(60);

    private final Duration first;
    private final Duration max;
    private final Duration stable;
    private Duration next;

    RestartBackoff() {
        this(FIRST, MAX, STABLE);
    }

    RestartBackoff(Duration first, Duration max, Duration stable) {
        this.first = first;
        this.max = max;
        this.stable = stable;
        this.next = first;
    }

    /** The wait before the next start, given how long the run that just ended lasted (zero: it never came up). */
    synchronized Duration after(Duration uptime) {
        if (uptime.compareTo(stable) >= 0) {
            next = first;
        }
        Duration delay = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        return delay;
    }
}
