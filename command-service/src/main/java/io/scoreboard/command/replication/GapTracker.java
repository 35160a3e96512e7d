package io.scoreboard.command.replication;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The replicator's knowledge of positions it has passed without seeing their event (ADR 0013). A
 * position is taken from the table's sequence inside the INSERT that writes its row, so when a higher
 * position is visible and a lower one is not, the lower one's transaction is either still open or
 * rolled back. Which one is decided exactly, without a timeout: every INSERT holds a ROW EXCLUSIVE
 * lock on the event table from before it takes a position until its transaction ends, so a gap is
 * waited for until every transaction that held that lock when the gap was first seen has ended, and
 * then looked for once more. Only then is it given up.
 *
 * <p>Memory is one {@code long} per gap plus the writer set of the read that first saw it: it grows
 * with the events of transactions open at once, never with gaps times events in flight.
 */
final class GapTracker {

    /** Gaps first seen by one read, with the transactions that were writing to the event table then. */
    private static final class Group {
        private long[] positions;
        private final Set<String> writers;
        /** Every writer of the group had ended before the last read began: what it did not find is no event. */
        private boolean writersEnded;

        Group(long[] positions, Set<String> writers) {
            this.positions = positions;
            this.writers = writers;
        }
    }

    private final List<Group> groups = new ArrayList<>();
    private long head;
    private long[] gaps;
    /** Built when head or gaps change, not on every look: the replicator reads it several times a cycle. */
    private Coverage coverage;

    /**
     * @param writersNow the transactions writing to the event table now; only looked at when {@code stored}
     *                   has gaps ({@link #needsWriters()} tells the caller whether to list them)
     */
    GapTracker(Coverage stored, Set<String> writersNow) {
        this.head = stored.head();
        this.gaps = stored.gaps();
        this.coverage = stored;
        if (gaps.length > 0) {
            // Who wrote them is not stored: wait for everyone writing now, as for a gap seen now.
            groups.add(new Group(gaps.clone(), writersNow));
        }
    }

    long head() {
        return head;
    }

    /** The positions the next read must look for below {@link #head()}, ascending. */
    long[] gaps() {
        return gaps;
    }

    Coverage coverage() {
        return coverage;
    }

    /** Whether gaps are open: only then do the writers of the event table matter (and cost a pg_locks query). */
    boolean hasGaps() {
        return !groups.isEmpty();
    }

    /**
     * Whether {@link #advance} needs the writers for this read: when gaps are open or the read passed
     * positions without a row. Otherwise the writers would be listed (pg_locks) only to be ignored.
     */
    boolean needsWriters(long[] found, long newHead) {
        return hasGaps() || newHead - head - 1 > countBetween(found, head, newHead);
    }

    /**
     * Takes in one read of the event table: the positions it found (gap positions and positions above
     * the head, ascending, from one snapshot) and the transactions holding the event table's ROW
     * EXCLUSIVE lock, listed after that read.
     *
     * @param found         positions of the rows read, ascending
     * @param newHead       the highest position the read has decided (every row up to it is in {@code found}
     *                      or not visible), at least {@link #head()}
     * @param examinedUpTo  the highest gap position the read looked at: a read cut short (batch size or bytes)
     *                      did not look at the gaps above its last row
     * @param writersAfter  virtual transaction ids writing to the event table, read after the rows (not needed,
     *                      and may be empty, when {@link #needsWriters} said so for this read)
     * @return whether the coverage changed
     */
    boolean advance(long[] found, long newHead, long examinedUpTo, Set<String> writersAfter) {
        if (newHead < head) {
            throw new IllegalArgumentException("the head cannot go back from " + head + " to " + newHead);
        }
        // 1. Found gaps are gaps no more; groups whose writers had all ended before this read give up the rest.
        for (Iterator<Group> it = groups.iterator(); it.hasNext(); ) {
            Group group = it.next();
            group.positions = without(group.positions, found);
            if (group.writersEnded) {
                // Not found by a read that looked at them after their writers ended: never to be committed.
                group.positions = Arrays.stream(group.positions).filter(p -> p > examinedUpTo).toArray();
            }
            if (group.positions.length == 0) {
                it.remove();
            }
        }
        // 2. Positions this read passed without a row are new gaps, waited for on the writers of now.
        long[] fresh = missingBetween(head, newHead, found);
        if (fresh.length > 0) {
            groups.add(new Group(fresh, Set.copyOf(writersAfter)));
        }
        // 3. A group none of whose writers is still writing can be decided by the next read.
        for (Group group : groups) {
            if (group.writers.stream().noneMatch(writersAfter::contains)) {
                group.writersEnded = true;
            }
        }
        long[] newGaps = groups.stream().flatMapToLong(g -> Arrays.stream(g.positions)).sorted().toArray();
        boolean changed = newHead != head || !Arrays.equals(gaps, newGaps);
        head = newHead;
        gaps = newGaps;
        if (changed) {
            coverage = new Coverage(head, gaps);
        }
        return changed;
    }

    /** How many of {@code found} (ascending) lie in (from, to). */
    private static long countBetween(long[] found, long from, long to) {
        return Arrays.stream(found).filter(p -> p > from && p < to).count();
    }

    private static long[] without(long[] positions, long[] found) {
        return Arrays.stream(positions).filter(p -> Arrays.binarySearch(found, p) < 0).toArray();
    }

    /** Positions in (from, to) that are not in {@code found}. */
    private static long[] missingBetween(long from, long to, long[] found) {
        if (to - from <= 1) {
            return new long[0];
        }
        // The caller bounds the span (EventTable.MAX_SPAN), so this array is bounded too.
        long[] missing = new long[Math.toIntExact(to - from - 1)];
        int count = 0;
        for (long position = from + 1; position < to; position++) {
            if (Arrays.binarySearch(found, position) < 0) {
                missing[count++] = position;
            }
        }
        return Arrays.copyOf(missing, count);
    }
}
