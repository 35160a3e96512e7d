package io.scoreboard.query.projection;

import io.micrometer.core.instrument.MeterRegistry;
import io.scoreboard.projections.Projection;
import io.scoreboard.projections.checkpoint.ProjectionCheckpoints;
import java.time.Duration;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds one projection from the event topic on its own thread.
 *
 * <p>Each poll is one database transaction: it first locks the stored checkpoints of the
 * projection and checks they are where this runner left them, then applies the batch and moves the
 * checkpoints, all in one commit. Newly assigned partitions are paused until their checkpoints are
 * read from the database and the consumer has been positioned there. So:
 * <ul>
 *   <li>after a crash or a rebalance, events are read again only if their transaction did not
 *       commit (and then the projection's per-board version check makes them no-ops anyway);</li>
 *   <li>when a rebuild switches the read model (docs/adr/0008) the stored checkpoints move under
 *       the runner: it notices at its next batch, drops what it polled and resumes from the
 *       rebuilt model's checkpoints;</li>
 *   <li>every fault that is not an event's (docs/adr/0018): the read database unreachable, recreated,
 *       its read model missing, a statement or lock timeout, a serialization failure; Kafka timing out
 *       or unavailable; anything unexpected outside an event; is waited out with a growing pause (at
 *       most {@link #LONGEST_RETRY}). The runner then positions itself again at whatever checkpoints
 *       the database holds (none: from the start of the topic) and goes on by itself;</li>
 *   <li>when the topic was deleted and recreated (Kafka topic id changed), offsets of the old
 *       incarnation are not used: the new topic is read from its start.</li>
 * </ul>
 * Only a bad event, one the projection cannot apply, stops the runner: health goes DOWN naming the
 * event, {@code scoreboard_projection_failed} is 1, an ERROR log names it, and nothing after it is
 * applied until an operator fixes the cause and restarts.
 *
 * <p>This class is the thread, its start and stop, the loop and the waiting out of faults; the parts
 * it turns: {@link TopicIncarnation} (which topic the offsets belong to), {@link PartitionPositions}
 * (assigned partitions and their stored checkpoints), {@link BatchApplier} (one poll, one transaction;
 * bad event or fault, with {@link SqlFaults}) and {@link ProjectionMetrics}.
 *
 * <p>The runner has a connection pool of its own ({@link ProjectionConnections}): request traffic,
 * however heavy or slow, cannot take the connections it needs.
 */
public final class ProjectionRunner {

    private static final Logger log = LoggerFactory.getLogger(ProjectionRunner.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(500);
    private static final Duration LONGEST_RETRY = Duration.ofSeconds(15);

    private final Projection projection;
    private final String topic;
    private final Supplier<Consumer<String, byte[]>> consumerFactory;
    private final Duration pollTimeout;
    private final AppliedVersions appliedVersions;
    private final ProjectionMetrics metrics;

    // Owned by the runner thread; the rebalance listener runs inside poll() on the same thread.
    private final TopicIncarnation incarnation;
    private final PartitionPositions positions;
    private final BatchApplier applier;
    private Duration retryPause = FIRST_RETRY;

    private volatile RunnerStatus status = RunnerStatus.of(RunnerStatus.State.STOPPED);
    private volatile boolean running;
    private volatile Consumer<String, byte[]> consumer;
    private Thread thread;

    public ProjectionRunner(Projection projection, String topic, DataSource dataSource,
                            ProjectionCheckpoints checkpoints, Supplier<Consumer<String, byte[]>> consumerFactory,
                            TopicIdentity topicIdentity, Duration pollTimeout, AppliedVersions appliedVersions,
                            MeterRegistry meters) {
        this.projection = projection;
        this.appliedVersions = appliedVersions;
        this.topic = topic;
        this.consumerFactory = consumerFactory;
        this.pollTimeout = pollTimeout;
        this.metrics = new ProjectionMetrics(projection.name(), meters, this::status);
        this.incarnation = new TopicIncarnation(projection.name(), topic, topicIdentity, appliedVersions);
        this.positions = new PartitionPositions(projection.name(), topic, dataSource, checkpoints, incarnation,
                appliedVersions);
        this.applier = new BatchApplier(projection, topic, dataSource, checkpoints, positions, incarnation,
                appliedVersions, metrics);
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        consumer = consumerFactory.get();
        running = true;
        status = RunnerStatus.of(RunnerStatus.State.STARTING);
        thread = new Thread(this::run, "projection-" + projection.name());
        thread.start();
    }

    /** Stops after the current batch: a batch's transaction either commits whole or not at all. */
    public synchronized void stop(Duration wait) {
        if (!running) {
            return;
        }
        running = false;
        consumer.wakeup();
        thread.interrupt(); // ends a pause between database retries
        try {
            thread.join(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("projection {} did not stop within {}", projection.name(), wait);
        }
    }

    public boolean isRunning() {
        return running;
    }

    RunnerStatus status() {
        return status;
    }

    public String projectionName() {
        return projection.name();
    }

    public String topic() {
        return topic;
    }

    public double appliedEventCount() {
        return metrics.appliedEventCount();
    }

    public double duplicateEventCount() {
        return metrics.duplicateEventCount();
    }

    long lag() {
        return metrics.lag();
    }

    private void run() {
        Consumer<String, byte[]> c = consumer;
        try {
            // Subscribing to a topic that does not exist yet is fine: the consumer keeps asking
            // for metadata and is assigned partitions once the command service creates it.
            positions.subscribe(c);
            status = RunnerStatus.of(RunnerStatus.State.RUNNING);
            log.info("projection {} consuming {}", projection.name(), topic);
            boolean topicRecreated = false;
            while (running) {
                try {
                    if (topicRecreated
                            || incarnation.wasRecreated(status.state().waiting(), positions.anyAssigned())) {
                        topicRecreated = false;
                        positions.resubscribe(c);
                    }
                    positions.positionAtStoredCheckpoints(c);
                    ConsumerRecords<String, byte[]> records = c.poll(pollTimeout);
                    if (!records.isEmpty()) {
                        appliedVersions.heardFromKafka();
                    }
                    applier.applyBatch(c, records);
                    metrics.lag(positions.lag(c));
                    recovered();
                } catch (RunnerFailure e) {
                    // A topic deleted and recreated between two checks is read at the old offsets until the
                    // next check, and its first record there looks like a gap: ask Kafka before stopping.
                    if (!incarnation.changedNow()) {
                        throw e;
                    }
                    topicRecreated = true;
                } catch (WakeupException e) {
                    throw e; // stop() was called
                } catch (RuntimeException e) {
                    if (!running) {
                        break; // stopping: an interrupted Kafka or database call is no fault
                    }
                    waitOut(c, Fault.of(e));
                }
            }
            status = RunnerStatus.of(RunnerStatus.State.STOPPED);
        } catch (WakeupException | InterruptedException e) {
            if (running) {
                fail("woken up while running", e);
            } else {
                status = RunnerStatus.of(RunnerStatus.State.STOPPED);
            }
        } catch (Throwable e) {
            RunnerFailure failure = findFailure(e);
            fail(failure != null ? failure.getMessage() : "stopped by " + e, e);
        } finally {
            running = false;
            try {
                // Leaving the group hands our partitions to the other instances at once.
                c.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                log.warn("closing the consumer of projection {} failed", projection.name(), e);
            }
            log.info("projection {} stopped ({})", projection.name(), status.state());
        }
    }

    private static RunnerFailure findFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RunnerFailure failure) {
                return failure;
            }
        }
        return null;
    }

    private void fail(String reason, Throwable cause) {
        String message = "projection '" + projection.name() + "' stopped and applies nothing more until the "
                + "cause is fixed and the service restarted: " + reason;
        status = RunnerStatus.failed(message);
        log.error(message, cause);
    }

    /**
     * A fault that is not an event's: pause every partition, wait (a growing pause, at most
     * {@link #LONGEST_RETRY}), and position them again from what the database holds when the loop
     * turns again; it may be a different database by then. Nothing is skipped: what was polled and not
     * committed is read again.
     */
    private void waitOut(Consumer<String, byte[]> c, Fault fault) throws InterruptedException {
        RunnerStatus before = status;
        boolean firstAttempt = !before.state().waiting();
        int attempts = firstAttempt ? 1 : before.attempts() + 1;
        metrics.faultWaitedOut(fault.kind());
        String reason = fault.describe() + " (attempt " + attempts + "; next in " + retryPause.toMillis() + " ms)";
        if (fault.kind() == Fault.Kind.OTHER && (firstAttempt || !fault.state().equals(before.state()))) {
            log.error("projection {}: unexpected failure, waiting it out and retrying; nothing is skipped: {}",
                    projection.name(), fault.describe(), fault.cause());
        } else if (firstAttempt || !fault.state().equals(before.state())) {
            log.warn("projection {}: {}; waiting it out and retrying, nothing is skipped", projection.name(),
                    fault.describe());
        } else {
            log.debug("projection {}: still failing: {}", projection.name(), reason);
        }
        status = RunnerStatus.waiting(fault.state(), firstAttempt ? java.time.Instant.now() : before.since(), reason,
                attempts);
        try {
            positions.pauseAll(c);
        } catch (RuntimeException e) {
            log.debug("projection {}: cannot pause its partitions", projection.name(), e); // positioned again anyway
        }
        positions.positionAllAgain();
        Thread.sleep(retryPause.toMillis());
        retryPause = retryPause.multipliedBy(2).compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : retryPause.multipliedBy(2);
    }

    private void recovered() {
        RunnerStatus before = status;
        if (before.state() != RunnerStatus.State.RUNNING) {
            if (before.state().waiting()) {
                log.info("projection {}: the fault is gone after {} failed attempts since {}; resumed from the "
                        + "stored checkpoints", projection.name(), before.attempts(), before.since());
            }
            status = RunnerStatus.of(RunnerStatus.State.RUNNING);
        }
        retryPause = FIRST_RETRY;
    }

    /** Kafka cannot be reached (while polling, that only shows as empty polls); the runner waits for it. */
    static final class KafkaUnreachable extends org.apache.kafka.common.KafkaException {
        KafkaUnreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The read database cannot be used right now; the runner pauses and tries again. */
    static final class DatabaseUnavailable extends RuntimeException {
        DatabaseUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Ends the run loop with a message naming the event or record it stopped at. */
    static final class RunnerFailure extends RuntimeException {
        RunnerFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
