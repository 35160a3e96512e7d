package io.scoreboard.query.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What a read may learn from the runner's memory instead of the database (ADR 0028). */
class AppliedVersionsTest {

    private final UUID board = UUID.randomUUID();
    private final UUID other = UUID.randomUUID();
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    /** Versions whose runner has just heard from Kafka, on this test's clock. */
    private AppliedVersions heard(int maxBoards) {
        AppliedVersions versions = new AppliedVersions(maxBoards, now::get);
        versions.heardFromKafka();
        return versions;
    }

    @Test
    void aVersionOnlyRises_whateverOrderTheBatchesReportIt() {
        AppliedVersions versions = heard(10);
        versions.applied(Map.of(board, 7L));
        versions.applied(Map.of(board, 5L));
        assertThat(versions.version(board)).hasValue(7);
        versions.applied(Map.of(board, 9L));
        assertThat(versions.version(board)).hasValue(9);
        assertThat(versions.version(other)).isEmpty();
    }

    @Test
    void beingPositionedAgain_forgetsEveryBoard() {
        AppliedVersions versions = heard(10);
        versions.applied(Map.of(board, 7L, other, 2L));
        versions.forgetAll();
        assertThat(versions.version(board)).isEmpty();
        assertThat(versions.version(other)).isEmpty();
    }

    @Test
    void pastItsBound_itStartsOver_andNeverHoldsMore() {
        AppliedVersions versions = heard(2);
        versions.applied(Map.of(board, 1L, other, 1L));
        UUID third = UUID.randomUUID();
        versions.applied(Map.of(third, 4L));
        assertThat(versions.size()).isLessThanOrEqualTo(2);
        assertThat(versions.version(third)).hasValue(4);
        assertThat(versions.version(board)).isEmpty();
    }

    @Test
    void zeroRemembersNothing_andANegativeBoundIsRefused() {
        AppliedVersions none = heard(0);
        none.applied(Map.of(board, 3L));
        assertThat(none.version(board)).isEmpty();
        assertThatThrownBy(() -> new AppliedVersions(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void trustedOnlyWhileTheRunnerHearsFromKafka_forAnotherInstanceMayHaveTakenItsBoards() {
        AppliedVersions versions = new AppliedVersions(10, now::get);
        versions.applied(Map.of(board, 7L));
        assertThat(versions.version(board)).as("never heard from Kafka yet").isEmpty();
        versions.heardFromKafka();
        assertThat(versions.version(board)).hasValue(7);

        now.addAndGet(AppliedVersions.TRUSTED_FOR.toNanos() + 1); // cut off from Kafka, or the runner stuck
        assertThat(versions.version(board)).as("looked up in the database instead").isEmpty();
        versions.heardFromKafka();
        assertThat(versions.version(board)).hasValue(7);
    }
}
