package io.scoreboard.command.replication;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.scoreboard.command.replication.ReplicationProperties.LocalBacklogProperties;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Keeps LOCAL-mode writes from running away from the replicator (ADR 0030). In REPLICATED mode every answer
 * waits for Kafka, so writers can never be far ahead. In LOCAL mode nothing waits: under a flood, the request
 * and writer threads take both cores and the replicator, one thread among a hundred, falls behind for as
 * long as the flood lasts (replication lag p99 of 85 ms to seconds, measured). So the group-commit writers
 * ask here before each batch: when a write committed more than {@code max-age} ago is still not in Kafka,
 * the batch waits for it, at most {@code max-pause}. A replicator that acknowledged nothing for
 * {@code stall-after} (Kafka down, or another instance replicating) is not waited for: LOCAL mode exists so
 * that writes go on then.
 */
@Component
public class LocalBacklog {

    /** Commits within this span of the newest one share an entry: the queue stays small under any rate. */
    private static final long COALESCE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** While Kafka is down, the oldest entries go: the ones left are just as old, so the decision holds. */
    private static final int MAX_ENTRIES = 4_096;

    private final ReplicationProgress progress;
    private final boolean enabled;
    private final long maxAgeNanos;
    private final Duration maxPause;
    private final Duration stallAfter;
    private final Timer pauses;
    /** (position, committed at) pairs in commit order; guarded by this. */
    private final ArrayDeque<long[]> unreplicated = new ArrayDeque<>();

    public LocalBacklog(ReplicationProgress progress, ReplicationProperties properties, MeterRegistry meters) {
        LocalBacklogProperties limits = properties.localBacklog();
        this.progress = progress;
        this.enabled = properties.durability() == Durability.LOCAL && !limits.maxAge().isZero();
        this.maxAgeNanos = limits.maxAge().toNanos();
        this.maxPause = limits.maxPause();
        this.stallAfter = limits.stallAfter();
        this.pauses = Timer.builder("scoreboard.replication.local.backlog.pauses")
                .description("LOCAL mode: batches that waited for the replicator to catch up, and how long")
                .register(meters);
    }

    /** A batch committed; {@code position} is the highest it stored. */
    public void committed(long position) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        synchronized (this) {
            long[] newest = unreplicated.peekLast();
            if (newest != null && now - newest[1] < COALESCE_NANOS) {
                newest[0] = Math.max(newest[0], position);
                return;
            }
            if (unreplicated.size() == MAX_ENTRIES) {
                unreplicated.pollFirst();
            }
            unreplicated.addLast(new long[] {position, now});
        }
    }

    /** Before a batch: waits while the oldest write not yet in Kafka is older than max-age (at most max-pause). */
    public void awaitRoom() {
        if (!enabled) {
            return;
        }
        long oldestPosition;
        synchronized (this) {
            long[] oldest;
            while ((oldest = unreplicated.peekFirst()) != null && progress.isReplicated(oldest[0])) {
                unreplicated.pollFirst();
            }
            if (oldest == null || System.nanoTime() - oldest[1] < maxAgeNanos) {
                return;
            }
            oldestPosition = oldest[0];
        }
        if (!progress.advancedWithin(stallAfter)) {
            return;
        }
        long start = System.nanoTime();
        try {
            progress.awaitReplicated(oldestPosition, maxPause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pauses.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
}
