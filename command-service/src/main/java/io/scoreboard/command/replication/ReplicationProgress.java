package io.scoreboard.command.replication;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
    /** However many writes wait, the committed token is read at most this often by this instance's waiters. */
    private static final long SHARED_STORE_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition advanced = lock.newCondition();
    private final StoredReplicatorToken storedToken;
    private volatile Coverage coverage;
    /** When the coverage last moved to a higher head (System.nanoTime), or 0 before that. */
    private volatile long lastAdvanceNanos;
    private final AtomicLong nextStoreCheck = new AtomicLong(System.nanoTime());

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
                if (current == null || newer.head() > current.head()) {
                    lastAdvanceNanos = System.nanoTime();
                }
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

    /**
     * One waiter reads the committed token for all: 64 waiting writes whose wait outlasted a replicator cycle
     * once each read it 10 times a second, on the instance that holds the newer coverage in memory anyway.
     */
    private void refreshFromStoreUnlessJustDone() {
        long now = System.nanoTime();
        long due = nextStoreCheck.get();
        if (now - due >= 0 && nextStoreCheck.compareAndSet(due, now + SHARED_STORE_CHECK_NANOS)) {
            refreshFromStore();
        }
    }

    /** Whether Kafka acknowledged something new within {@code window} (false before the first time). */
    public boolean advancedWithin(Duration window) {
        long last = lastAdvanceNanos;
        return last != 0 && System.nanoTime() - last <= window.toNanos();
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
                        refreshFromStoreUnlessJustDone();
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
