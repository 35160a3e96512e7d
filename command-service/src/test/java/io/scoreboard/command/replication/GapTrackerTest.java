package io.scoreboard.command.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class GapTrackerTest {

    private static final Set<String> NOBODY = Set.of();
    /** A read that was not cut short: it looked at every gap. */
    private static final long ALL = Long.MAX_VALUE;

    private static long[] positions(long... p) {
        return p;
    }

    @Test
    void positionsPassedWithoutARow_areGaps_untilTheirRowIsFound() {
        GapTracker tracker = new GapTracker(Coverage.NOTHING, NOBODY);

        tracker.advance(positions(1, 4), 4, ALL, Set.of("3/7"));
        assertThat(tracker.gaps()).containsExactly(2, 3);
        assertThat(tracker.coverage().covers(4)).isTrue();
        assertThat(tracker.coverage().covers(2)).isFalse();

        tracker.advance(positions(3), 4, ALL, Set.of("3/7"));
        assertThat(tracker.gaps()).containsExactly(2);
    }

    @Test
    void aGap_isKeptAsLongAsATransactionThatWasWritingWhenItWasSeenStillWrites() {
        GapTracker tracker = new GapTracker(Coverage.NOTHING, NOBODY);
        tracker.advance(positions(2), 2, ALL, Set.of("3/7", "4/9"));

        // However many reads pass, while 4/9 writes the gap stays (no timeout: it may still commit).
        for (int read = 0; read < 1000; read++) {
            tracker.advance(positions(), 2, ALL, Set.of("4/9", "5/1"));
        }
        assertThat(tracker.gaps()).containsExactly(1);

        // It committed late: found, published, no gap.
        tracker.advance(positions(1), 2, ALL, Set.of("5/1"));
        assertThat(tracker.gaps()).isEmpty();
    }

    @Test
    void aGap_isGivenUp_onlyAfterOneMoreReadOnceItsWritersHaveEnded() {
        GapTracker tracker = new GapTracker(Coverage.NOTHING, NOBODY);
        tracker.advance(positions(3), 3, ALL, Set.of("3/7"));
        assertThat(tracker.gaps()).containsExactly(1, 2);

        // 3/7 has ended: the next read (which began after that) decides.
        tracker.advance(positions(), 3, ALL, NOBODY);
        assertThat(tracker.gaps()).as("not given up by the read that saw the writers end").containsExactly(1, 2);

        tracker.advance(positions(2), 3, ALL, NOBODY);
        assertThat(tracker.gaps()).as("2 was found by the deciding read; 1 was rolled back").isEmpty();
    }

    @Test
    void aReadCutShort_decidesOnlyTheGapsItLookedAt() {
        GapTracker tracker = new GapTracker(Coverage.NOTHING, NOBODY);
        tracker.advance(positions(10), 10, ALL, Set.of("3/7"));
        assertThat(tracker.gaps()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);

        tracker.advance(positions(), 10, ALL, NOBODY); // 3/7 committed: the next read decides
        // ... but that read was cut after position 4 (batch full): 5 to 9 were not looked at.
        tracker.advance(positions(1, 2, 3, 4), 10, 4, NOBODY);
        assertThat(tracker.gaps()).containsExactly(5, 6, 7, 8, 9);

        tracker.advance(positions(5, 6, 7, 8, 9), 10, ALL, NOBODY);
        assertThat(tracker.gaps()).isEmpty();
    }

    @Test
    void gapsFromAStoredCoverage_waitForEveryoneWritingAtStart() {
        GapTracker tracker = new GapTracker(new Coverage(10, new long[] {4, 7}), Set.of("2/1"));

        tracker.advance(positions(), 10, ALL, Set.of("2/1"));
        tracker.advance(positions(), 10, ALL, Set.of("2/1"));
        assertThat(tracker.gaps()).containsExactly(4, 7);

        tracker.advance(positions(7), 10, ALL, NOBODY);
        tracker.advance(positions(), 10, ALL, NOBODY);
        assertThat(tracker.gaps()).isEmpty();
        assertThat(tracker.head()).isEqualTo(10);
    }

    @Test
    void gapsSeenByDifferentReads_areDecidedByTheirOwnWriters() {
        GapTracker tracker = new GapTracker(Coverage.NOTHING, NOBODY);
        tracker.advance(positions(2), 2, ALL, Set.of("1/1"));          // gap 1, writer 1/1
        tracker.advance(positions(4), 4, ALL, Set.of("1/1", "2/2"));   // gap 3, writers 1/1 and 2/2

        tracker.advance(positions(), 4, ALL, Set.of("2/2"));           // 1/1 ended: gap 1 is decided by the next read
        tracker.advance(positions(), 4, ALL, Set.of("2/2"));
        assertThat(tracker.gaps()).containsExactly(3);
    }

    @Test
    void theHeadNeverGoesBack() {
        GapTracker tracker = new GapTracker(new Coverage(10, new long[0]), NOBODY);
        assertThatThrownBy(() -> tracker.advance(positions(), 9, ALL, NOBODY)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void coverage_roundTripsThroughTheStoredTokenFormat() {
        Coverage coverage = new Coverage(42, new long[] {40, 7});
        assertThat(new String(coverage.toToken(), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("{\"index\":42,\"gaps\":[7,40]}");
        assertThat(Coverage.fromToken(coverage.toToken())).isEqualTo(coverage);
        assertThat(Coverage.fromToken("{\"currentToken\":{\"index\":5,\"gaps\":[]}}".getBytes()))
                .isEqualTo(new Coverage(5, new long[0]));
    }

    @Test
    void theWriters_matterOnlyWhileGapsAreOpen_orWhenAReadPassesPositionsWithoutARow() {
        GapTracker tracker = new GapTracker(Coverage.NOTHING, NOBODY);
        assertThat(tracker.needsWriters(positions(1, 2, 3), 3)).as("a contiguous read leaves no gap").isFalse();
        assertThat(tracker.needsWriters(positions(), 0)).as("nothing read").isFalse();
        tracker.advance(positions(1, 2, 3), 3, ALL, NOBODY);

        assertThat(tracker.needsWriters(positions(4, 6), 6)).as("5 was passed").isTrue();
        tracker.advance(positions(4, 6), 6, ALL, Set.of("3/7"));
        assertThat(tracker.hasGaps()).isTrue();
        assertThat(tracker.needsWriters(positions(), 6)).as("gap 5 is open").isTrue();

        tracker.advance(positions(5), 6, ALL, Set.of("3/7"));
        assertThat(tracker.hasGaps()).isFalse();
        assertThat(tracker.needsWriters(positions(7), 7)).isFalse();
    }

    @Test
    void theCoverage_isBuiltOnlyWhenItChanges() {
        GapTracker tracker = new GapTracker(Coverage.NOTHING, NOBODY);
        tracker.advance(positions(1, 3), 3, ALL, Set.of("3/7"));
        Coverage seen = tracker.coverage();
        assertThat(seen).isEqualTo(new Coverage(3, new long[] {2}));

        assertThat(tracker.advance(positions(), 3, ALL, Set.of("3/7"))).isFalse();
        assertThat(tracker.coverage()).as("the same reading, not a copy").isSameAs(seen);

        assertThat(tracker.advance(positions(2), 3, ALL, Set.of("3/7"))).isTrue();
        assertThat(tracker.coverage()).isEqualTo(new Coverage(3, new long[0]));
    }
}
