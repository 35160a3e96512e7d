package io.scoreboard.query.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What a read may learn from the runner's memory instead of the database (ADR 0028). */
class AppliedVersionsTest {

    private final UUID board = UUID.randomUUID();
    private final UUID other = UUID.randomUUID();
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    /** Kafka's default, the service's default. */
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(45);

    /** Versions whose runner has just heard from Kafka, on this test's clock. */
    private AppliedVersions heard(int maxBoards) {
        AppliedVersions versions = new AppliedVersions(maxBoards, SESSION_TIMEOUT, now::get);
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
        assertThatThrownBy(() -> new AppliedVersions(-1, SESSION_TIMEOUT)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void trustedOnlyWhileTheRunnerHearsFromKafka_forAnotherInstanceMayHaveTakenItsBoards() {
        AppliedVersions versions = new AppliedVersions(10, SESSION_TIMEOUT, now::get);
        versions.applied(Map.of(board, 7L));
        assertThat(versions.version(board)).as("never heard from Kafka yet").isEmpty();
        versions.heardFromKafka();
        assertThat(versions.version(board)).hasValue(7);

        now.addAndGet(Duration.ofSeconds(10).toNanos()); // still within the trust
        assertThat(versions.version(board)).hasValue(7);
        now.addAndGet(1); // cut off from Kafka, or the runner stuck
        assertThat(versions.version(board)).as("looked up in the database instead").isEmpty();
        versions.heardFromKafka();
        assertThat(versions.version(board)).hasValue(7);
    }

    @Test
    void aShorterSessionTimeout_shortensTheTrust_forTheGroupGivesTheBoardsAwaySooner() {
        // 6 s: another instance may apply this one's partitions 6 s after its last heartbeat
        AppliedVersions versions = new AppliedVersions(10, Duration.ofSeconds(6), now::get);
        versions.applied(Map.of(board, 7L));
        versions.heardFromKafka();
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(versions.version(board)).hasValue(7);
        now.addAndGet(1);
        assertThat(versions.version(board)).as("a third of the session timeout has passed").isEmpty();

        assertThat(AppliedVersions.trustedFor(Duration.ofSeconds(45))).isEqualTo(Duration.ofSeconds(10));
        assertThat(AppliedVersions.trustedFor(Duration.ofMinutes(5))).as("at most 10 s")
                .isEqualTo(Duration.ofSeconds(10));
        assertThat(AppliedVersions.trustedFor(Duration.ofSeconds(9))).isEqualTo(Duration.ofSeconds(3));
    }
}
