package io.scoreboard.command.replication;

import io.scoreboard.startup.ReplicatorToken;
import java.util.Arrays;
import java.util.List;

/**
 * Which event-store positions Kafka holds: every position up to {@code head} except the {@code gaps}
 * (positions passed before their transaction committed, or that never will). Stored in
 * {@code token_entry} in the format of {@link ReplicatorToken}, which the operator CLI reads and writes
 * (status, republish, restore-event-store).
 *
 * @param head the highest position replicated, 0 before the first event
 * @param gaps positions below {@code head} not replicated yet, ascending, no duplicates
 */
public record Coverage(long head, long[] gaps) {

    static final Coverage NOTHING = new Coverage(0, new long[0]);

    public Coverage {
        gaps = gaps.clone();
        Arrays.sort(gaps);
    }

    public boolean covers(long position) {
        return position <= head && Arrays.binarySearch(gaps, position) < 0;
    }

    public List<Long> gapList() {
        return Arrays.stream(gaps).boxed().toList();
    }

    byte[] toToken() {
        return ReplicatorToken.format(head, gaps);
    }

    /** Reads a stored token (ReplicatorToken.parse: the format the operator CLI reads too). */
    static Coverage fromToken(byte[] token) {
        return of(ReplicatorToken.parse(token));
    }

    static Coverage of(ReplicatorToken.Coverage stored) {
        return new Coverage(Math.max(0, stored.index()), stored.gaps().stream().mapToLong(Long::longValue).toArray());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Coverage that && head == that.head && Arrays.equals(gaps, that.gaps);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(head) * 31 + Arrays.hashCode(gaps);
    }

    @Override
    public String toString() {
        return "Coverage[head=" + head + ", gaps=" + gaps.length + "]";
    }
}
