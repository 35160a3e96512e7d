package io.scoreboard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LatencySummaryTest {

    private static final long[] ONE_TO_THOUSAND = LongStream.rangeClosed(1, 1000).toArray();

    @Test
    void percentile_isTheNearestRank() {
        assertThat(LatencySummary.percentile(ONE_TO_THOUSAND, 50)).isEqualTo(500);
        assertThat(LatencySummary.percentile(ONE_TO_THOUSAND, 99)).isEqualTo(990);
        assertThat(LatencySummary.percentile(ONE_TO_THOUSAND, 99.9)).isEqualTo(999);
        assertThat(LatencySummary.percentile(ONE_TO_THOUSAND, 100)).isEqualTo(1000);
    }

    @Test
    void percentile_roundsTheRankUp_soAFewSlowRequestsAreNotHidden() {
        long[] values = {1, 2, 3, 4, 5, 6, 7, 8, 9, 100};
        assertThat(LatencySummary.percentile(values, 90)).isEqualTo(9);
        assertThat(LatencySummary.percentile(values, 91)).isEqualTo(100);
        assertThat(LatencySummary.percentile(values, 99)).isEqualTo(100);
    }

    @Test
    void percentile_ofASingleValue_isThatValue() {
        assertThat(LatencySummary.percentile(new long[] {7}, 0.1)).isEqualTo(7);
        assertThat(LatencySummary.percentile(new long[] {7}, 99.9)).isEqualTo(7);
    }

    @Test
    void percentile_refusesNothingToRank() {
        assertThatThrownBy(() -> LatencySummary.percentile(new long[0], 50)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LatencySummary.percentile(ONE_TO_THOUSAND, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void of_sortsTheLatencies_andCountsTheRate() {
        long[] shuffled = {5_000_000, 1_000_000, 3_000_000, 2_000_000, 4_000_000};
        LatencySummary summary = LatencySummary.of(shuffled, 1, 2_000_000_000L);
        assertThat(summary.p50Nanos()).isEqualTo(3_000_000);
        assertThat(summary.p99Nanos()).isEqualTo(5_000_000);
        assertThat(summary.maxNanos()).isEqualTo(5_000_000);
        assertThat(summary.perSecond()).isEqualTo(2.5);
        assertThat(summary.errors()).isEqualTo(1);
    }

    @Test
    void of_noLatencies_isAZeroRate_withItsErrors() {
        LatencySummary summary = LatencySummary.of(new long[0], 3, 1_000_000_000L);
        assertThat(summary.count()).isZero();
        assertThat(summary.perSecond()).isZero();
        assertThat(summary.p99Millis()).isZero();
        assertThat(summary.errors()).isEqualTo(3);
    }

    @Test
    void millisAccessors_convertTheNanos() {
        LatencySummary summary = LatencySummary.of(new long[] {2_500_000, 1_000_000}, 0, 1_000_000_000L);
        assertThat(summary.p50Millis()).isEqualTo(1.0);
        assertThat(summary.p95Millis()).isEqualTo(2.5);
        assertThat(summary.maxMillis()).isEqualTo(2.5);
    }
}
