package io.scoreboard.query.projection;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * One look at something every waiting read needs, taken once for all of them (docs/adr/0018).
 *
 * <p>A read-your-writes wait needs a reading taken <em>after</em> a moment it knows (its arrival, or
 * its previous look); any look that started after that will do, whoever asked for it. So a caller
 * joins the next look that has not started yet, or one that started late enough, and only when there
 * is none is a new look scheduled: one at a time, on one thread, and at least {@code minInterval}
 * after the previous one started. However many reads wait, the source sees at most one look per
 * interval, and a waiting read spends the interval parked on the look instead of asking itself.
 *
 * @param <T> what a look reads
 */
class SharedLook<T> implements AutoCloseable {

    /** Reads once; called on the look's own thread. */
    @FunctionalInterface
    interface Reader<T> {
        T read() throws Exception;
    }

    private final Reader<T> reader;
    private final long minIntervalNanos;
    private final ScheduledExecutorService thread;

    /** Looks taken so far (what the source was asked), for the metrics. */
    private final LongAdder taken = new LongAdder();

    /** The latest look asked for; guarded by {@code this}. */
    private Look<T> latest;

    SharedLook(String name, Reader<T> reader, Duration minInterval) {
        this.reader = reader;
        this.minIntervalNanos = minInterval.toNanos();
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * A look that starts at or after {@code since} (a {@link System#nanoTime()} value no later than
     * now); completes exceptionally when the source could not be read.
     */
    synchronized CompletableFuture<T> lookStartingAfter(long since) {
        if (latest != null && (!latest.started || latest.startedAt - since >= 0)) {
            return latest.result; // not started yet (so it starts after now), or started late enough
        }
        long now = System.nanoTime();
        long at = latest == null ? now : Math.max(now, latest.startedAt + minIntervalNanos);
        Look<T> look = new Look<>();
        latest = look;
        thread.schedule(() -> run(look), at - now, TimeUnit.NANOSECONDS);
        return look.result;
    }

    /** Looks taken so far: what the source itself was asked, however many reads shared them. */
    long looksTaken() {
        return taken.sum();
    }

    private void run(Look<T> look) {
        taken.increment();
        synchronized (this) {
            look.startedAt = System.nanoTime();
            look.started = true;
        }
        try {
            look.result.complete(reader.read());
        } catch (Throwable e) {
            look.result.completeExceptionally(e);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }

    private static final class Look<T> {
        final CompletableFuture<T> result = new CompletableFuture<>();
        boolean started; // guarded by the SharedLook
        long startedAt;
    }
}
