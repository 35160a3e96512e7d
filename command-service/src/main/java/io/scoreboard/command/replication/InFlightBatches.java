package io.scoreboard.command.replication;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.producer.Callback;

/**
 * The replicator's pipeline (ADR 0027): reads sent to Kafka and not yet wholly acknowledged, oldest first,
 * each with the coverage it completes. Kafka's acknowledgements arrive on the producer's network thread; as
 * soon as a read and every read before it are acknowledged, its coverage goes to {@link ReplicationProgress}
 * and the writes waiting for it are answered, while the replicator is already reading and sending the next
 * one. A failed send stops the queue where it failed: nothing from it on is released.
 */
final class InFlightBatches {

    private final ReplicationProgress progress;
    /** Told when the last batch in flight is acknowledged (or one fails): the replicator looks again at once. */
    private final Runnable drained;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Batch> queue = new ArrayDeque<>();
    private long bytes;
    private Failure failure;

    /** The first send that failed: its event's position and Kafka's reason. */
    record Failure(long position, Exception cause) {}

    InFlightBatches(ReplicationProgress progress, Runnable drained) {
        this.progress = progress;
        this.drained = drained;
    }

    /** One read's sends, and the coverage the topic holds once they and every earlier read are acknowledged. */
    final class Batch {
        private final Coverage coverage;
        private final long bytes;
        private int unacknowledged;
        private boolean allSent;
        private boolean abandoned;

        private Batch(Coverage coverage, long bytes) {
            this.coverage = coverage;
            this.bytes = bytes;
        }

        /** The callback of one send of this batch, counted before the send is made. */
        Callback send(long position) {
            lock.lock();
            try {
                unacknowledged++;
            } finally {
                lock.unlock();
            }
            return (metadata, exception) -> acknowledged(this, position, exception);
        }

        /** Every send of the batch is made (a batch that sent nothing completes now, in its turn). */
        void allSent() {
            lock.lock();
            try {
                allSent = true;
                releaseCompleted();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Queues a read that completes {@code coverage}; its sends follow, then {@link Batch#allSent()}. */
    Batch open(Coverage coverage, long payloadBytes) {
        lock.lock();
        try {
            Batch batch = new Batch(coverage, payloadBytes);
            queue.addLast(batch);
            bytes += payloadBytes;
            return batch;
        } finally {
            lock.unlock();
        }
    }

    private void acknowledged(Batch batch, long position, Exception exception) {
        boolean wake;
        lock.lock();
        try {
            if (batch.abandoned) {
                return; // a cycle that failed or ended without us: its coverage is not ours to release
            }
            batch.unacknowledged--;
            if (exception != null && failure == null) {
                failure = new Failure(position, exception);
            }
            releaseCompleted();
            wake = queue.isEmpty() || failure != null;
        } finally {
            lock.unlock();
        }
        if (wake) {
            drained.run();
        }
    }

    /** Under the lock: releases the acknowledged reads at the head of the queue, in order. */
    private void releaseCompleted() {
        if (failure != null) {
            changed.signalAll();
            return;
        }
        Coverage released = null;
        while (!queue.isEmpty()) {
            Batch head = queue.peekFirst();
            if (!head.allSent || head.unacknowledged > 0) {
                break;
            }
            queue.removeFirst();
            bytes -= head.bytes;
            released = head.coverage;
        }
        if (released != null) {
            progress.advance(released);
            changed.signalAll();
        }
    }

    boolean isEmpty() {
        lock.lock();
        try {
            return queue.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** Payload bytes sent and not yet acknowledged: the replicator reads no more while they exceed its budget. */
    long bytesInFlight() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }

    /** The first failed send since the last {@link #abandon()}, or null. */
    Failure failure() {
        lock.lock();
        try {
            return failure;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until every batch is acknowledged, one fails, or the timeout passes.
     *
     * @return true when nothing is in flight any more (check {@link #failure()} first)
     */
    boolean awaitDrained(Duration timeout) throws InterruptedException {
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (!queue.isEmpty() && failure == null) {
                if (left <= 0) {
                    return false;
                }
                left = changed.awaitNanos(left);
            }
            return queue.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Forgets every batch in flight (the cycle failed or lost its claim): their late acknowledgements release
     * nothing, and the next holder of the claim sends them again from the stored coverage.
     */
    void abandon() {
        lock.lock();
        try {
            for (Batch batch : queue) {
                batch.abandoned = true;
            }
            queue.clear();
            bytes = 0;
            failure = null;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
