package io.scoreboard.query.projection;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;

/**
 * The event topic's end offsets, looked up once for everybody who is waiting (docs/adr/0018).
 *
 * <p>A read-your-writes wait needs the topic's end as it was <em>after</em> the request arrived
 * (docs/adr/0005); any look that started after that will do, whoever asked for it. So a request joins
 * the next look that has not started yet, or one that started after the request arrived, and only
 * when there is none is a new look scheduled: one at a time, on one thread, and at least
 * {@code minInterval} after the previous one started. However many requests wait, the broker sees at
 * most one look per interval.
 */
final class TopicEndOffsets implements AutoCloseable {

    private final EndOffsetReader reader;
    private final long minIntervalNanos;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "topic-end-offsets");
        t.setDaemon(true);
        return t;
    });

    /** The latest look asked for; guarded by {@code this}. */
    private Look latest;

    TopicEndOffsets(EndOffsetReader reader, Duration minInterval) {
        this.reader = reader;
        this.minIntervalNanos = minInterval.toNanos();
    }

    /**
     * A look at the topic's end that starts at or after {@code since} (a {@link System#nanoTime()}
     * value no later than now); completes exceptionally when Kafka could not be asked.
     */
    synchronized CompletableFuture<Map<TopicPartition, Long>> lookStartingAfter(long since) {
        if (latest != null && (!latest.started || latest.startedAt - since >= 0)) {
            return latest.result; // not started yet (so it starts after now), or started late enough
        }
        long now = System.nanoTime();
        long at = latest == null ? now : Math.max(now, latest.startedAt + minIntervalNanos);
        Look look = new Look();
        latest = look;
        thread.schedule(() -> run(look), at - now, TimeUnit.NANOSECONDS);
        return look.result;
    }

    private void run(Look look) {
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

    private static final class Look {
        final CompletableFuture<Map<TopicPartition, Long>> result = new CompletableFuture<>();
        boolean started; // guarded by the TopicEndOffsets
        long startedAt;
    }
}
