package io.scoreboard.bench;

import java.util.Arrays;

/**
 * Rate and latency percentiles of the requests that completed inside a measurement window.
 * Percentiles are nearest-rank: the smallest sample that at least p % of all samples do not exceed,
 * so p99 of 100 samples is the 99th smallest, and every reported latency was actually observed.
 */
record LatencyStats(long count, double perSecond, double p50Millis, double p95Millis, double p99Millis,
                    double maxMillis) {

    /** @param latenciesNanos one entry per completed request (the array is sorted in place) */
    static LatencyStats of(long[] latenciesNanos, long windowNanos) {
        if (windowNanos <= 0) {
            throw new IllegalArgumentException("the measurement window must be positive, was " + windowNanos + " ns");
        }
        Arrays.sort(latenciesNanos);
        return new LatencyStats(latenciesNanos.length, latenciesNanos.length * 1e9 / windowNanos,
                millis(percentile(latenciesNanos, 50)), millis(percentile(latenciesNanos, 95)),
                millis(percentile(latenciesNanos, 99)),
                millis(latenciesNanos.length == 0 ? 0 : latenciesNanos[latenciesNanos.length - 1]));
    }

    /** Nearest-rank percentile of an ascending array; 0 for no samples. */
    static long percentile(long[] sortedAscending, double p) {
        if (p <= 0 || p > 100) {
            throw new IllegalArgumentException("percentile must be in (0, 100], was " + p);
        }
        if (sortedAscending.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sortedAscending.length);
        return sortedAscending[Math.max(rank, 1) - 1];
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }
}
