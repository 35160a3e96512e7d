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

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition advanced = lock.newCondition();
    private volatile GapAwareTrackingToken token;

    /** Called by the replicator after Kafka acknowledged everything up to {@code newToken}. */
    void advance(TrackingToken newToken) {
        TrackingToken unwrapped = WrappedToken.unwrapUpperBound(newToken);
        if (!(unwrapped instanceof GapAwareTrackingToken gapAware)) {
            return;
        }
        lock.lock();
        try {
            token = gapAware;
            advanced.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public boolean isReplicated(long position) {
        GapAwareTrackingToken current = token;
        return current != null && position <= current.getIndex() && !current.getGaps().contains(position);
    }

    /** The highest position the replicator has passed, or -1 before its first batch. */
    public long lastPosition() {
        GapAwareTrackingToken current = token;
        return current == null ? -1 : current.getIndex();
    }

    /** Waits until {@code position} is in Kafka; false when the timeout passed first. */
    public boolean awaitReplicated(long position, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (!isReplicated(position)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                advanced.await(left, TimeUnit.NANOSECONDS);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
