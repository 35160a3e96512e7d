package io.scoreboard.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every latency of one measured phase, summarised: percentiles by nearest rank over all recorded
 * values (no histogram buckets, no interpolation: p99 is a latency some request really had), and
 * the rate over the phase's wall-clock time.
 */
record LatencySummary(long count, long errors, double seconds, long p50Nanos, long p95Nanos, long p99Nanos,
                      long p999Nanos, long maxNanos) {

    /**
     * @param latencies every request's latency in nanoseconds, in any order (sorted in place); none gives
     *                  zeros
     * @param errors    requests that did not get the expected answer (not in {@code latencies})
     * @param elapsedNanos wall-clock time of the phase
     */
    static LatencySummary of(long[] latencies, long errors, long elapsedNanos) {
        if (latencies.length == 0) {
            return new LatencySummary(0, errors, elapsedNanos / 1e9, 0, 0, 0, 0, 0);
        }
        Arrays.sort(latencies);
        return new LatencySummary(latencies.length, errors, elapsedNanos / 1e9, percentile(latencies, 50),
                percentile(latencies, 95), percentile(latencies, 99), percentile(latencies, 99.9),
                latencies[latencies.length - 1]);
    }

    /**
     * Nearest rank: the smallest value such that at least {@code percent} % of the values are at or
     * below it. {@code sorted} must be in ascending order and not empty.
     */
    static long percentile(long[] sorted, double percent) {
        if (sorted.length == 0 || percent <= 0 || percent > 100) {
            throw new IllegalArgumentException("percentile " + percent + " of " + sorted.length + " values");
        }
        // ceil(p/100 * n) computed on whole numbers of thousandths, so 99.9 % of 1000 is exactly rank 999
        long rank = (Math.round(percent * 1000) * sorted.length + 100_000 - 1) / 100_000;
        return sorted[(int) Math.max(1, rank) - 1];
    }

    double perSecond() {
        return count / seconds;
    }

    double p50Millis() {
        return millis(p50Nanos);
    }

    double p95Millis() {
        return millis(p95Nanos);
    }

    double p99Millis() {
        return millis(p99Nanos);
    }

    double maxMillis() {
        return millis(maxNanos);
    }

    static double millis(long nanos) {
        return nanos / 1e6;
    }

    Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("requests", count);
        m.put("errors", errors);
        m.put("seconds", seconds);
        m.put("perSecond", perSecond());
        m.put("p50Ms", millis(p50Nanos));
        m.put("p95Ms", millis(p95Nanos));
        m.put("p99Ms", millis(p99Nanos));
        m.put("p999Ms", millis(p999Nanos));
        m.put("maxMs", millis(maxNanos));
        return m;
    }
}
