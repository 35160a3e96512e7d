package io.scoreboard.httpedge.ratelimit;

import java.util.concurrent.ConcurrentHashMap;

/**
 * How many requests of one key (a client address) are in progress at once, bounded: a rate limit
 * bounds how often a client may start a long request, this bounds how many it may hold open together.
 * An entry lives only while its key has a request in progress, so the map never outgrows the
 * requests being served.
 */
public final class InFlightPerKey {

    private final int max;
    private final ConcurrentHashMap<String, Integer> inFlight = new ConcurrentHashMap<>();

    /** @param max requests per key at once; 0 = no bound */
    public InFlightPerKey(int max) {
        this.max = max;
    }

    public int max() {
        return max;
    }

    /** Takes a place for {@code key}; false (nothing taken) when it holds {@code max} already. */
    public boolean tryEnter(String key) {
        if (max <= 0) {
            return true;
        }
        boolean[] entered = {false};
        inFlight.compute(key, (k, count) -> {
            int now = count == null ? 0 : count;
            if (now >= max) {
                return count;
            }
            entered[0] = true;
            return now + 1;
        });
        return entered[0];
    }

    /** Gives back a place taken by {@link #tryEnter}. */
    public void leave(String key) {
        if (max <= 0) {
            return;
        }
        inFlight.computeIfPresent(key, (k, count) -> count <= 1 ? null : count - 1);
    }

    /** Requests of {@code key} in progress now. */
    public int inFlight(String key) {
        return inFlight.getOrDefault(key, 0);
    }
}
