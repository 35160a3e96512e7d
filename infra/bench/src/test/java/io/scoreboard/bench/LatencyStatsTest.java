package io.scoreboard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LatencyStatsTest {

    private static final long MS = 1_000_000;

    @Test
    void percentile_isTheNearestRank_ofOneToAHundred() {
        long[] sorted = LongStream.rangeClosed(1, 100).toArray();

        assertThat(LatencyStats.percentile(sorted, 50)).isEqualTo(50);
        assertThat(LatencyStats.percentile(sorted, 95)).isEqualTo(95);
        assertThat(LatencyStats.percentile(sorted, 99)).isEqualTo(99);
        assertThat(LatencyStats.percentile(sorted, 100)).isEqualTo(100);
    }

    @Test
    void percentile_roundsTheRankUp_soItIsAlwaysAnObservedSample() {
        long[] sorted = {10, 20, 30};

        assertThat(LatencyStats.percentile(sorted, 50)).isEqualTo(20); // rank ceil(1.5) = 2
        assertThat(LatencyStats.percentile(sorted, 99)).isEqualTo(30);
        assertThat(LatencyStats.percentile(sorted, 1)).isEqualTo(10);
    }

    @Test
    void percentile_ofNoSamples_isZero() {
        assertThat(LatencyStats.percentile(new long[0], 99)).isZero();
    }

    @Test
    void percentile_refusesNonsense() {
        assertThatThrownBy(() -> LatencyStats.percentile(new long[] {1}, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LatencyStats.percentile(new long[] {1}, 101)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void of_sortsItsSamples_andReportsMillis() {
        long[] latencies = new long[200];
        for (int i = 0; i < 200; i++) {
            latencies[i] = (200 - i) * MS; // 200 ms down to 1 ms
        }

        LatencyStats stats = LatencyStats.of(latencies, 2_000 * MS);

        assertThat(stats.count()).isEqualTo(200);
        assertThat(stats.p50Millis()).isEqualTo(100.0);
        assertThat(stats.p95Millis()).isEqualTo(190.0);
        assertThat(stats.p99Millis()).isEqualTo(198.0);
        assertThat(stats.maxMillis()).isEqualTo(200.0);
    }

    @Test
    void of_rateIsCompletionsPerSecondOfWindow() {
        LatencyStats stats = LatencyStats.of(new long[500], 250 * MS);

        assertThat(stats.perSecond()).isEqualTo(2_000.0);
    }

    @Test
    void of_noSamples_isAZeroRate() {
        LatencyStats stats = LatencyStats.of(new long[0], 1_000 * MS);

        assertThat(stats.count()).isZero();
        assertThat(stats.perSecond()).isZero();
        assertThat(stats.maxMillis()).isZero();
    }

    @Test
    void of_refusesAnEmptyWindow() {
        assertThatThrownBy(() -> LatencyStats.of(new long[1], 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
