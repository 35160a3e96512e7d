package io.scoreboard.command.replication;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.stereotype.Component;

/**
 * Which event-store positions Kafka has acknowledged ({@link Coverage}): a position up to the head is
 * replicated unless it is still a gap (a transaction that had not committed when the replicator passed
 * it). Writers wait here before answering in REPLICATED mode.
 */
@Component
public class ReplicationProgress {

    /** While waiting, how often the committed token is re-read (after a restart, or on another instance). */
    private static final long STORE_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition advanced = lock.newCondition();
    private final StoredReplicatorToken storedToken;
    private volatile Coverage coverage;

    ReplicationProgress(StoredReplicatorToken storedToken) {
        this.storedToken = storedToken;
    }

    /** Called by the replicator after Kafka acknowledged everything {@code newer} covers. */
    void advance(Coverage newer) {
        lock.lock();
        try {
            Coverage current = coverage;
            // At one head, gaps only ever close: fewer gaps is the newer reading of the same head.
            if (current == null || newer.head() > current.head()
                    || (newer.head() == current.head() && newer.gaps().length <= current.gaps().length)) {
                coverage = newer;
            }
            advanced.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public boolean isReplicated(long position) {
        Coverage current = coverage;
        return current != null && current.covers(position);
    }

    /** Positions below {@link #lastPosition()} the replicator has not seen committed yet. */
    public java.util.List<Long> gaps() {
        Coverage current = coverage;
        return current == null ? java.util.List.of() : current.gapList();
    }

    /** Adopts the committed token when it is ahead (after a restart, or on a non-replicating instance). */
    public void refreshFromStore() {
        storedToken.read().ifPresent(this::advance);
    }

    /** The highest position the replicator has passed, or -1 before its first batch. */
    public long lastPosition() {
        Coverage current = coverage;
        return current == null ? -1 : current.head();
    }

    /** Waits until {@code position} is in Kafka; false when the timeout passed first. */
    public boolean awaitReplicated(long position, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (coverage == null) {
            refreshFromStore();
        }
        lock.lock();
        try {
            while (!isReplicated(position)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                if (!advanced.await(Math.min(left, STORE_CHECK_NANOS), TimeUnit.NANOSECONDS)) {
                    lock.unlock();
                    try {
                        refreshFromStore();
                    } finally {
                        lock.lock();
                    }
                }
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
