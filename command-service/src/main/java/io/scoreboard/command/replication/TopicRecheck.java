package io.scoreboard.command.replication;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The replicator's check of the topic every minute after it took the claim, asked on a thread of its own so that
 * publishing goes on meanwhile. Asked on the replicator's thread, each check (a new Kafka consumer reading the
 * topic's identity record, ~0.5 s on a busy 2-core machine) held back every acknowledged write for its length
 * (BENCHMARKS.md, "Live streams"; ADR 0040). The check on taking the claim stays on the replicator's thread:
 * nothing is published before it passed.
 *
 * <p>Used by the replicator's thread only; the check itself runs on the "topic-recheck" thread.
 */
final class TopicRecheck implements AutoCloseable {

    private final TopicGuard guard;
    private final Clock clock;
    /** Made on the first ask after start or {@link #close()}: a stopped replicator may be started again. */
    private ExecutorService thread;
    /** The check asked last, until its outcome is taken; null when none is. */
    private Future<Instant> asked;

    TopicRecheck(TopicGuard guard, Clock clock) {
        this.guard = guard;
        this.clock = clock;
    }

    /** Asks for a check unless one is under way. */
    void ask() {
        if (asked == null) {
            if (thread == null) {
                thread = Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "topic-recheck");
                    t.setDaemon(true);
                    return t;
                });
            }
            asked = thread.submit(() -> {
                Instant started = clock.instant();
                guard.requireUsableTopic();
                return started;
            });
        }
    }

    boolean underWay() {
        return asked != null && !asked.isDone();
    }

    /**
     * The outcome of a check that has ended since the last call: when it started (the topic was fine then), or
     * empty while none has ended. A refused topic or a failed check is thrown as the check threw it.
     */
    Optional<Instant> passed() {
        if (asked == null || !asked.isDone()) {
            return Optional.empty();
        }
        Future<Instant> done = asked;
        asked = null;
        try {
            return Optional.of(done.get());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("the topic check failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while taking the topic check's outcome", e);
        } catch (CancellationException e) {
            return Optional.empty();
        }
    }

    /** Waits until the check under way (if any) has ended; {@link #passed()} then has its outcome. */
    void awaitEnd() throws InterruptedException {
        if (asked != null) {
            try {
                asked.get();
            } catch (ExecutionException | CancellationException e) {
                // passed() answers it
            }
        }
    }

    /** Forgets the check under way (the claim was lost): its outcome is not taken. */
    void forget() {
        if (asked != null) {
            asked.cancel(true);
            asked = null;
        }
    }

    @Override
    public void close() {
        forget();
        if (thread != null) {
            thread.shutdownNow();
            thread = null;
        }
    }
}
