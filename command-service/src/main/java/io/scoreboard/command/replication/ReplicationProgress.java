package io.scoreboard.command.replication;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.springframework.stereotype.Component;

/**
 * Which event-store positions Kafka has acknowledged. The replicator's token is gap-aware: a
 * position below its index is replicated unless it is still a gap (a transaction that had not
 * committed when the replicator passed it). Writers wait here before answering in REPLICATED mode.
 */
@Component
public class ReplicationProgress {

    /** While waiting, how often the committed token is re-read (after a restart, or on another instance). */
    private static final long STORE_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition advanced = lock.newCondition();
    private final StoredReplicatorToken storedToken;
    private volatile GapAwareTrackingToken token;

    ReplicationProgress(StoredReplicatorToken storedToken) {
        this.storedToken = storedToken;
    }

    /** Called by the replicator after Kafka acknowledged everything up to {@code newToken}. */
    void advance(TrackingToken newToken) {
        TrackingToken unwrapped = WrappedToken.unwrapUpperBound(newToken);
        if (!(unwrapped instanceof GapAwareTrackingToken gapAware)) {
            return;
        }
        lock.lock();
        try {
            if (token == null || gapAware.getIndex() >= token.getIndex()) {
                token = gapAware;
            }
            advanced.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public boolean isReplicated(long position) {
        GapAwareTrackingToken current = token;
        return current != null && position <= current.getIndex() && !current.getGaps().contains(position);
    }

    /** Positions below {@link #lastPosition()} the replicator has not seen committed yet. */
    public java.util.List<Long> gaps() {
        GapAwareTrackingToken current = token;
        return current == null ? java.util.List.of() : java.util.List.copyOf(current.getGaps());
    }

    /** Adopts the committed token when it is ahead (after a restart, or on a non-replicating instance). */
    public void refreshFromStore() {
        storedToken.read().ifPresent(this::advance);
    }

    /** The highest position the replicator has passed, or -1 before its first batch. */
    public long lastPosition() {
        GapAwareTrackingToken current = token;
        return current == null ? -1 : current.getIndex();
    }

    /** Waits until {@code position} is in Kafka; false when the timeout passed first. */
    public boolean awaitReplicated(long position, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (token == null) {
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
