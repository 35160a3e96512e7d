package io.scoreboard.command.scoreboard.api;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes to existing boards wait here while others are being stored, and are then stored together: each
 * writer thread takes the waiting writes as one batch and stores it in one transaction (ADR 0029), so a
 * batch pays one lock statement, one position lookup and one commit (one WAL flush) instead of one of each
 * per write, and 64 request threads do not compete for 2 cores and the connection pool.
 *
 * <p>A batch holds each board at most once, and the batches being stored at one time never share a board:
 * a write to a board that is already taken waits for a later batch, so writes to one board are stored in
 * the order they arrived, and a flood of writes to one board takes one place per batch, never a whole one.
 * A lone write is stored at once: nothing waits for company.
 *
 * @param <W> a queued write
 */
final class GroupCommit<W extends GroupCommit.Queued> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    /** A write waiting to be stored: its board, and where its outcome goes. */
    abstract static class Queued {
        private final UUID board;
        private final CompletableFuture<Object> outcome = new CompletableFuture<>();

        Queued(UUID board) {
            this.board = board;
        }

        UUID board() {
            return board;
        }

        void succeed(Object result) {
            outcome.complete(result);
        }

        void fail(RuntimeException e) {
            outcome.completeExceptionally(e);
        }

        boolean isDone() {
            return outcome.isDone();
        }

        private Object awaitOutcome() {
            try {
                return outcome.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException failure) {
                    throw failure;
                }
                throw e;
            }
        }
    }

    private final int maxBatch;
    private final Consumer<List<W>> store;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition eligible = lock.newCondition();
    private final ArrayDeque<W> waiting = new ArrayDeque<>();
    /** Boards in a batch being stored now. */
    private final Set<UUID> taken = new HashSet<>();
    private final List<Thread> writers = new ArrayList<>();
    private boolean closed;

    /**
     * @param store stores one batch and completes each of its writes (one it leaves open fails with an
     *              {@link IllegalStateException})
     */
    GroupCommit(int writerCount, int maxBatch, Consumer<List<W>> store) {
        if (writerCount < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("at least one writer and a batch of one");
        }
        this.maxBatch = maxBatch;
        this.store = store;
        for (int i = 0; i < writerCount; i++) {
            Thread writer = new Thread(this::write, "group-commit-" + i);
            writer.setDaemon(true);
            writers.add(writer);
            writer.start();
        }
    }

    /** Queues {@code write}, waits until a writer stored it, and returns its outcome or throws its failure. */
    Object store(W write) {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the command service is shutting down");
            }
            waiting.addLast(write);
            eligible.signal();
        } finally {
            lock.unlock();
        }
        return ((Queued) write).awaitOutcome();
    }

    private void write() {
        while (true) {
            List<W> batch;
            try {
                batch = nextBatch();
            } catch (InterruptedException e) {
                return;
            }
            if (batch == null) {
                return;
            }
            try {
                store.accept(batch);
            } catch (RuntimeException | Error e) {
                log.error("a batch of {} writes failed as a whole", batch.size(), e);
                for (W write : batch) {
                    write.fail(e instanceof RuntimeException r ? r : new IllegalStateException(e));
                }
            } finally {
                for (W write : batch) {
                    if (!write.isDone()) {
                        write.fail(new IllegalStateException("a write was left without an outcome"));
                    }
                }
                release(batch);
            }
        }
    }

    /** The oldest waiting writes whose boards are free, one per board; waits for one. Null once closed. */
    private List<W> nextBatch() throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    return null;
                }
                List<W> batch = new ArrayList<>();
                for (Iterator<W> it = waiting.iterator(); it.hasNext() && batch.size() < maxBatch; ) {
                    W write = it.next();
                    if (taken.contains(write.board())) {
                        continue; // in this batch already, or in one being stored: it waits, as do later ones
                    }
                    taken.add(write.board());
                    batch.add(write);
                    it.remove();
                }
                if (!batch.isEmpty()) {
                    return batch;
                }
                eligible.await();
            }
        } finally {
            lock.unlock();
        }
    }

    private void release(List<W> batch) {
        lock.lock();
        try {
            for (W write : batch) {
                taken.remove(write.board());
            }
            eligible.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Stops the writers after their current batch; writes still waiting fail. */
    @Override
    public void close() {
        List<W> left;
        lock.lock();
        try {
            closed = true;
            left = new ArrayList<>(waiting);
            waiting.clear();
            eligible.signalAll();
        } finally {
            lock.unlock();
        }
        for (W write : left) {
            write.fail(new IllegalStateException("the command service is shutting down"));
        }
    }
}
