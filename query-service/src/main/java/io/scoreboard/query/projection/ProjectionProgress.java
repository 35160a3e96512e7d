package io.scoreboard.query.projection;

import io.scoreboard.projections.checkpoint.PartitionCheckpoint;
import io.scoreboard.projections.checkpoint.ProjectionCheckpoints;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import jakarta.annotation.PreDestroy;
import javax.sql.DataSource;
import org.apache.kafka.common.TopicPartition;
import org.springframework.stereotype.Component;

/**
 * Where the projection stands, as stored in the shared checkpoint table (so every query-service
 * instance answers the same, whichever instance consumes which partition), and read-your-writes.
 *
 * <p>Why waiting for the topic's end is right: in the default {@code replicated} durability mode a
 * client receives its position only after its events are acknowledged by Kafka. So once the
 * projection has consumed everything that was in the topic when the read arrived, the client's
 * write is applied. Comparing global positions alone would not do: positions commit out of order,
 * so "the highest position applied" can pass p while the event at p is still on its way.
 *
 * <p>A flood of waiting reads costs the broker and the read database little (docs/adr/0018, 0019): they
 * share the looks at the topic's end ({@link TopicEndOffsets}) and at the stored checkpoints
 * ({@link StoredCheckpoints}), a read looks at its own board only once a checkpoint has passed its
 * position, and at most {@code scoreboard.query.max-waiting-reads}
 * wait at once; beyond that a read is refused at once ({@link TooManyWaitingReadsException}).
 */
@Component
public class ProjectionProgress {

    static final long RECENT_MILLIS = 20;
    private static final long RECENT_NANOS = TimeUnit.MILLISECONDS.toNanos(RECENT_MILLIS);
    private volatile PositionReading recent;

    /** Decides, inside one read, whether the caller's condition already holds (e.g. the board has the position). */
    @FunctionalInterface
    public interface Reached {
        boolean test(Connection connection) throws SQLException;
    }

    /**
     * How often a waiting read looks at its own board while no checkpoint has reached its position yet
     * (normally it need not: see awaitMinPosition).
     */
    private static final long OWN_CHECK_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    /** How often a wait for a position not in the topic re-reads the topic's end (an Admin round trip). */
    private static final Duration END_OFFSETS_REFRESH = Duration.ofMillis(100);

    private final DataSource dataSource;
    private final TopicEndOffsets topicEnd;
    private final StoredCheckpoints storedCheckpoints;
    private final ProjectionCheckpoints checkpoints;
    private final ProjectionRunner runner;
    private final ReadYourWritesProperties properties;
    /** Null when unbounded ({@code max-waiting-reads=0}). */
    private final Semaphore waitingReads;

    ProjectionProgress(DataSource dataSource, TopicEndOffsets topicEnd, ProjectionCheckpoints checkpoints,
                       ProjectionRunner runner, ReadYourWritesProperties properties, MeterRegistry meters) {
        this.dataSource = dataSource;
        this.topicEnd = topicEnd;
        this.checkpoints = checkpoints;
        this.runner = runner;
        this.properties = properties;
        this.storedCheckpoints = new StoredCheckpoints(dataSource, checkpoints, runner, properties.checkInterval());
        this.waitingReads = properties.maxWaitingReads() > 0 ? new Semaphore(properties.maxWaitingReads()) : null;
        Gauge.builder("scoreboard.query.waiting.reads", this, ProjectionProgress::waitingReads)
                .description("Reads waiting for the projection to reach their minPosition")
                .register(meters);
        // What the waits cost the broker and the read database, however many reads share each look.
        FunctionCounter.builder("scoreboard.query.waiting.looks", topicEnd, SharedLook::looksTaken)
                .description("Looks at the topic's end (two Admin requests each) taken for waiting reads")
                .tag("source", "topic-end").register(meters);
        FunctionCounter.builder("scoreboard.query.waiting.looks", storedCheckpoints, SharedLook::looksTaken)
                .description("Readings of the stored checkpoints taken for waiting reads")
                .tag("source", "checkpoints").register(meters);
    }

    @PreDestroy
    void close() {
        storedCheckpoints.close();
    }

    /** Reads waiting now for their {@code minPosition} (0 when waits are unbounded). */
    public int waitingReads() {
        return waitingReads == null ? 0 : properties.maxWaitingReads() - waitingReads.availablePermits();
    }

    /** Highest event position the projection has applied, over all partitions; 0 before any. */
    public long appliedPosition() throws SQLException {
        long readAt = System.nanoTime();
        long position;
        try (Connection connection = dataSource.getConnection()) {
            position = checkpoints.appliedPosition(connection, runner.projectionName(), runner.topic());
        }
        recent = new PositionReading(position, readAt);
        return position;
    }

    /**
     * {@link #appliedPosition()} as read at most {@value #RECENT_MILLIS} ms ago. Still true of any
     * answer read after it (positions only grow, and the header promises "at least"), and it spares a
     * busy service one checkpoint query per request; a read-your-writes answer reads it afresh.
     */
    public long recentAppliedPosition() throws SQLException {
        PositionReading last = recent;
        if (last != null && System.nanoTime() - last.readAt() < RECENT_NANOS) {
            return last.position();
        }
        return appliedPosition();
    }

    private record PositionReading(long position, long readAt) {}

    /**
     * Returns once {@code reached} holds, or once the projection has consumed everything that was
     * in the topic when asked and has applied some position at or past {@code minPosition};
     * throws {@link ProjectionBehindException} when neither happens within the timeout.
     *
     * <p>The second half matters for a position that is not in the topic (yet): in {@code local}
     * durability mode a client may read before its event is replicated, and a made-up position
     * must not be answered as if it had been seen. Then the end offsets are re-read until the
     * position shows up or time runs out.
     */
    public void awaitMinPosition(long minPosition, Reached reached) throws SQLException {
        long start = System.nanoTime();
        if (reachedNow(reached)) {
            return; // the usual case costs no waiting place
        }
        if (waitingReads != null && !waitingReads.tryAcquire()) {
            throw new TooManyWaitingReadsException("" + properties.maxWaitingReads() + " reads are already waiting "
                    + "for the projection to reach their minPosition (scoreboard.query.max-waiting-reads); retry "
                    + "after the Retry-After delay, or read without minPosition", properties.retryAfter());
        }
        try {
            awaitMinPosition(minPosition, reached, start);
        } finally {
            if (waitingReads != null) {
                waitingReads.release();
            }
        }
    }

    private void awaitMinPosition(long minPosition, Reached reached, long start) throws SQLException {
        long deadline = start + properties.minPositionTimeout().toNanos();
        // The first look must start after the request arrived (and so after its write was in Kafka).
        Map<TopicPartition, Long> endOffsets = endOffsets(minPosition, start, deadline);
        long endOffsetsAskedAt = start;
        long ownCheckAt = start;
        long since = start;
        while (true) {
            // Parked on the next shared reading of the checkpoints: this is the wait between two looks.
            Map<Integer, PartitionCheckpoint> stored = storedCheckpoints(minPosition, since, deadline);
            long now = System.nanoTime();
            if (stored != null) {
                long applied = stored.values().stream().mapToLong(PartitionCheckpoint::maxPosition).max().orElse(0);
                if (applied >= minPosition && caughtUp(stored, endOffsets)) {
                    return;
                }
                // The board cannot hold position p before some partition's checkpoint has passed it, so
                // until then a read need not look at its board; it still does now and then, in case the
                // checkpoints were reset under a kept read model (a rebuild, a recreated topic).
                if (applied >= minPosition || now - ownCheckAt >= OWN_CHECK_INTERVAL_NANOS) {
                    if (reachedNow(reached)) {
                        return;
                    }
                    ownCheckAt = now;
                }
                if (now - deadline < 0 && caughtUp(stored, endOffsets)
                        && now - endOffsetsAskedAt >= END_OFFSETS_REFRESH.toNanos()) {
                    // Caught up, and still no position p: it may reach the topic later (local durability mode).
                    // Any look from the last refresh interval will do, so every such wait shares one look per
                    // interval (a far-future flood asked the broker 40 times a second, one look per 25 ms).
                    endOffsets = endOffsets(minPosition, Math.max(start, now - END_OFFSETS_REFRESH.toNanos()),
                            deadline);
                    endOffsetsAskedAt = now;
                }
            }
            if (now - deadline >= 0) {
                throw behind("the projection has not reached position " + minPosition + " within "
                        + properties.minPositionTimeout().toMillis() + " ms (it has applied up to position "
                        + (stored == null ? "unknown" : stored.values().stream()
                                .mapToLong(PartitionCheckpoint::maxPosition).max().orElse(0)) + ")", null);
            }
            since = now;
        }
    }

    private static boolean caughtUp(Map<Integer, PartitionCheckpoint> stored, Map<TopicPartition, Long> endOffsets) {
        return endOffsets != null && endOffsets.entrySet().stream().allMatch(end -> {
            PartitionCheckpoint cp = stored.get(end.getKey().partition());
            return (cp == null ? 0 : cp.nextOffset()) >= end.getValue();
        });
    }

    /** One round trip: whether the caller's condition holds now. */
    private boolean reachedNow(Reached reached) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return reached.test(connection);
        }
    }

    /**
     * The stored checkpoints from a shared reading that started at or after {@code since}; null when
     * the wait's deadline came first.
     */
    private Map<Integer, PartitionCheckpoint> storedCheckpoints(long minPosition, long since, long deadline)
            throws SQLException {
        CompletableFuture<Map<Integer, PartitionCheckpoint>> look = storedCheckpoints.lookStartingAfter(since);
        try {
            return look.get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw behind("cannot read the projection's checkpoints to wait for position " + minPosition + ": "
                    + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw behind("interrupted while waiting for position " + minPosition, e);
        }
    }

    /**
     * The last stable offset of every partition of the topic, from a look that started at or after
     * {@code since} (shared with every other waiting request). An empty topic, or one not created yet,
     * holds no write to wait for.
     */
    private Map<TopicPartition, Long> endOffsets(long minPosition, long since, long deadline) {
        CompletableFuture<Map<TopicPartition, Long>> look = topicEnd.lookStartingAfter(since);
        try {
            return look.get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw behind("cannot read the end of topic " + runner.topic() + " to wait for position " + minPosition
                    + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            // The wait's own deadline bounds this call: say what the client asked about, and where the time went.
            throw behind("the projection has not reached position " + minPosition + " within "
                    + properties.minPositionTimeout().toMillis() + " ms (asking Kafka for the topic's end took "
                    + "the rest of the wait)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw behind("interrupted while waiting for position " + minPosition, e);
        }
    }

    private static long remainingMillis(long deadline) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    private ProjectionBehindException behind(String message, Throwable cause) {
        return new ProjectionBehindException(message, properties.retryAfter(), cause);
    }
}
