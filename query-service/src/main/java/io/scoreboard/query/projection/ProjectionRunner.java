package io.scoreboard.query.projection;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.EventJson;
import io.scoreboard.projections.Projection;
import io.scoreboard.projections.ProjectionException;
import io.scoreboard.projections.QueuedWriteException;
import io.scoreboard.projections.checkpoint.PartitionCheckpoint;
import io.scoreboard.projections.checkpoint.ProjectionCheckpoints;
import io.scoreboard.startup.TopicRefusedException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
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
 * <p>The runner has a connection pool of its own ({@link ProjectionConnections}): request traffic,
 * however heavy or slow, cannot take the connections it needs.
 */
public final class ProjectionRunner {

    private static final Logger log = LoggerFactory.getLogger(ProjectionRunner.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(500);
    private static final Duration LONGEST_RETRY = Duration.ofSeconds(15);
    /** How often the topic's id is compared with the one the checkpoints belong to. */
    private static final Duration TOPIC_ID_CHECK = Duration.ofSeconds(5);
    /**
     * Longest wait for Kafka to say where a partition stands (after seeking to its start, that asks the
     * broker); a timeout is a Kafka fault, waited out like any other.
     */
    static final Duration POSITION_TIMEOUT = Duration.ofSeconds(10);

    private final Projection projection;
    private final String topic;
    private final DataSource dataSource;
    private final ProjectionCheckpoints checkpoints;
    private final Supplier<Consumer<String, byte[]>> consumerFactory;
    private final TopicIdentity topicIdentity;
    private final Duration pollTimeout;
    private final AppliedVersions appliedVersions;

    // Owned by the runner thread; the listener runs inside poll() on the same thread.
    private final Map<TopicPartition, PartitionCheckpoint> assigned = new HashMap<>();
    /** Assigned, paused, and waiting to be positioned at their stored checkpoints. */
    private final Set<TopicPartition> unpositioned = new HashSet<>();
    private String topicId;
    private long topicIdCheckedAt;
    private Duration retryPause = FIRST_RETRY;
    /** An event whose write broke a data rule once; a second time in a row makes it a bad event. */
    private String suspectEvent;
    /**
     * Rows sent together broke a data rule and the database does not say whose: the next attempt applies
     * each event with its own writes, so that the failing event is named (and a second failure stops us).
     */
    private boolean oneEventAtATime;

    private final Counter appliedEvents;
    private final Counter duplicateEvents;
    private final Map<Fault.Kind, Counter> faults = new java.util.EnumMap<>(Fault.Kind.class);
    private final AtomicLong lag = new AtomicLong();
    private final AtomicLong position = new AtomicLong();

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
        this.dataSource = dataSource;
        this.checkpoints = checkpoints;
        this.consumerFactory = consumerFactory;
        this.topicIdentity = topicIdentity;
        this.pollTimeout = pollTimeout;
        this.appliedEvents = Counter.builder("scoreboard.projection.events")
                .description("Events read by the projection, by outcome (duplicates are redeliveries, skipped)")
                .tag("projection", projection.name()).tag("outcome", "applied").register(meters);
        this.duplicateEvents = Counter.builder("scoreboard.projection.events")
                .description("Events read by the projection, by outcome (duplicates are redeliveries, skipped)")
                .tag("projection", projection.name()).tag("outcome", "duplicate").register(meters);
        Gauge.builder("scoreboard.projection.lag", lag, AtomicLong::get)
                .description("Events in the topic not yet applied by this instance (its assigned partitions)")
                .baseUnit("events").tag("projection", projection.name()).register(meters);
        Gauge.builder("scoreboard.projection.position", position, AtomicLong::get)
                .description("Highest event-store position applied through this instance's partitions")
                .tag("projection", projection.name()).register(meters);
        Gauge.builder("scoreboard.projection.running", this, r -> r.status.state() == RunnerStatus.State.RUNNING ? 1 : 0)
                .description("1 while the projection runner is consuming, 0 when stopped, waiting or failed")
                .tag("projection", projection.name()).register(meters);
        Gauge.builder("scoreboard.projection.failed", this, r -> r.status.state() == RunnerStatus.State.FAILED ? 1 : 0)
                .description("1 when the projection runner stopped on an event it cannot apply (health names it)")
                .tag("projection", projection.name()).register(meters);
        for (Fault.Kind kind : Fault.Kind.values()) {
            faults.put(kind, Counter.builder("scoreboard.projection.faults")
                    .description("Failed attempts of the projection runner that it waited out, by what failed")
                    .tag("projection", projection.name()).tag("kind", kind.name().toLowerCase()).register(meters));
        }
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
        return appliedEvents.count();
    }

    public double duplicateEventCount() {
        return duplicateEvents.count();
    }

    long lag() {
        return lag.get();
    }

    private void run() {
        Consumer<String, byte[]> c = consumer;
        try {
            // Subscribing to a topic that does not exist yet is fine: the consumer keeps asking
            // for metadata and is assigned partitions once the command service creates it.
            c.subscribe(List.of(topic), new PauseUntilPositioned(c));
            status = RunnerStatus.of(RunnerStatus.State.RUNNING);
            log.info("projection {} consuming {}", projection.name(), topic);
            boolean topicRecreated = false;
            while (running) {
                try {
                    if (topicRecreated || topicWasRecreated()) {
                        topicRecreated = false;
                        resubscribe(c);
                    }
                    positionAtStoredCheckpoints(c);
                    ConsumerRecords<String, byte[]> records = c.poll(pollTimeout);
                    if (!records.isEmpty()) {
                        appliedVersions.heardFromKafka();
                    }
                    applyBatch(c, records);
                    updateLag(c);
                    recovered();
                } catch (RunnerFailure e) {
                    // A topic deleted and recreated between two checks is read at the old offsets until the
                    // next check, and its first record there looks like a gap: ask Kafka before stopping.
                    if (!topicIdChangedNow()) {
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
        faults.get(fault.kind()).increment();
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
            c.pause(assigned.keySet());
        } catch (RuntimeException e) {
            log.debug("projection {}: cannot pause its partitions", projection.name(), e); // positioned again anyway
        }
        unpositioned.addAll(assigned.keySet());
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

    /** Seeks paused partitions to their stored checkpoints (or the topic's start) and resumes them. */
    private void positionAtStoredCheckpoints(Consumer<String, byte[]> c) {
        if (unpositioned.isEmpty()) {
            return;
        }
        // The database may hold other versions now (a rebuild, a wipe, another instance's partitions).
        appliedVersions.forgetAll();
        Map<Integer, PartitionCheckpoint> stored;
        try (Connection connection = dataSource.getConnection()) {
            stored = checkpoints.load(connection, projection.name(), topic);
        } catch (SQLException e) {
            throw databaseFailure("cannot read the checkpoints of " + topic, e);
        }
        for (TopicPartition tp : unpositioned) {
            PartitionCheckpoint checkpoint = stored.get(tp.partition());
            if (checkpoint != null && checkpoint.belongsTo(topicId)) {
                c.seek(tp, checkpoint.nextOffset());
                assigned.put(tp, checkpoint);
            } else {
                if (checkpoint != null) {
                    log.warn("projection {}: {} was recreated (topic id {} → {}); reading the new topic from its "
                            + "start, skipping what the read model already holds", projection.name(), tp,
                            checkpoint.topicId(), topicId);
                }
                c.seekToBeginning(List.of(tp));
                // -1: not stored for this topic incarnation, so the first poll writes a row even when empty.
                assigned.put(tp, new PartitionCheckpoint(tp.partition(), -1, 0, topicId));
            }
            log.info("projection {} resumes {} at offset {}", projection.name(), tp,
                    assigned.get(tp).nextOffset() < 0 ? "0 (no checkpoint)" : assigned.get(tp).nextOffset());
        }
        c.resume(unpositioned);
        unpositioned.clear();
    }

    /**
     * Asks Kafka for the topic's id every few seconds, and on every turn while waiting out a fault; true when
     * it differs from the one our offsets belong to. Also how the runner notices a Kafka it cannot reach: a
     * consumer's poll then only returns nothing, so without this question the runner would look RUNNING
     * through an outage. No answer is a Kafka fault (WAITING_FOR_KAFKA, naming it), and the runner shows
     * RUNNING again only once Kafka has answered.
     */
    private boolean topicWasRecreated() {
        long now = System.nanoTime();
        // Waiting out any fault: the runner shows RUNNING again only once Kafka has answered too.
        if (!status.state().waiting() && now - topicIdCheckedAt < TOPIC_ID_CHECK.toNanos()) {
            return false;
        }
        topicIdCheckedAt = now;
        Optional<String> current = askTopicId();
        if (assigned.isEmpty()) {
            return false; // nothing read yet (or every partition is another instance's): only reachability mattered
        }
        if (topicId == null) {
            topicId = current.orElse(null); // Kafka could not be asked at assignment time
            return false;
        }
        return current.isPresent() && !current.get().equals(topicId);
    }

    /** The topic's id; a Kafka that does not answer is a {@link KafkaUnreachable} fault. */
    private Optional<String> askTopicId() {
        try {
            Optional<String> id = topicIdentity.current();
            appliedVersions.heardFromKafka(); // Kafka answered: what this runner applied may still be trusted
            return id;
        } catch (TopicRefusedException e) {
            throw new RunnerFailure(e.getMessage() + " " + e.fix(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stop(): the loop ends
            throw new KafkaUnreachable("interrupted while asking Kafka about topic " + topic, e);
        } catch (Exception e) {
            Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null
                    ? e.getCause() : e;
            throw new KafkaUnreachable("Kafka does not answer (describing topic " + topic + "): " + cause, cause);
        }
    }

    /** Asks Kafka now, whatever the interval: true when the topic's id differs from our offsets'. */
    private boolean topicIdChangedNow() {
        Optional<String> current = currentTopicId();
        topicIdCheckedAt = System.nanoTime();
        return topicId != null && current.isPresent() && !current.get().equals(topicId);
    }

    private Optional<String> currentTopicId() {
        try {
            return topicIdentity.current();
        } catch (TopicRefusedException e) {
            // Another environment's topic (or events nobody recorded): apply nothing of it, ever.
            throw new RunnerFailure(e.getMessage() + " " + e.fix(), e);
        } catch (Exception e) {
            log.debug("projection {}: cannot read the id of topic {}: {}", projection.name(), topic, e.toString());
            return Optional.empty(); // Kafka is unreachable: polling will wait for it too
        }
    }

    /** A fresh assignment, so every partition is positioned again for the new topic incarnation. */
    private void resubscribe(Consumer<String, byte[]> c) {
        log.warn("projection {}: topic {} was deleted and recreated; re-reading it from the stored checkpoints "
                + "of the new topic (or its start)", projection.name(), topic);
        c.unsubscribe();
        assigned.clear();
        unpositioned.clear();
        topicId = null;
        c.subscribe(List.of(topic), new PauseUntilPositioned(c));
    }

    private void applyBatch(Consumer<String, byte[]> c, ConsumerRecords<String, byte[]> records) {
        // Every partition that moved gets a new checkpoint: by records, or (with transactional
        // producers) past commit markers and aborted events without any record to show for it.
        Map<TopicPartition, Long> nextOffsets = new HashMap<>();
        for (Map.Entry<TopicPartition, PartitionCheckpoint> entry : assigned.entrySet()) {
            TopicPartition tp = entry.getKey();
            if (unpositioned.contains(tp)) {
                continue;
            }
            long next = c.position(tp, POSITION_TIMEOUT); // after a seek to the start this asks Kafka
            if (next != entry.getValue().nextOffset() || !records.records(tp).isEmpty()) {
                nextOffsets.put(tp, next);
            }
        }
        if (nextOffsets.isEmpty()) {
            return;
        }
        long applied = 0;
        long duplicates = 0;
        Map<TopicPartition, PartitionCheckpoint> moved = new HashMap<>();
        Map<UUID, Long> boardVersions = new HashMap<>();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                if (checkpointsMovedUnderUs(connection)) {
                    connection.rollback();
                    c.pause(assigned.keySet());
                    unpositioned.addAll(assigned.keySet());
                    return; // the polled records are dropped: seeking discards them
                }
                Map<TopicPartition, Long> maxPositions = new HashMap<>();
                // One batch for the poll: the projection sends its rows together (one round trip for many).
                Projection.Batch batch = oneEventAtATime ? null : projection.batch(connection);
                for (ConsumerRecord<String, byte[]> record : records) {
                    EventEnvelope envelope = decode(record);
                    Projection.Outcome outcome = batch != null ? apply(batch, record, envelope, false)
                            : apply(projection.batch(connection), record, envelope, true);
                    if (outcome == Projection.Outcome.APPLIED) {
                        applied++;
                        // A board's version is the sequence number of its last applied event.
                        boardVersions.merge(envelope.scoreboardId(), envelope.sequenceNumber(), Math::max);
                    } else {
                        duplicates++;
                    }
                    maxPositions.merge(new TopicPartition(record.topic(), record.partition()), envelope.position(),
                            Math::max);
                }
                if (batch != null) {
                    finish(batch, records.count());
                }
                nextOffsets.forEach((tp, next) -> moved.put(tp, new PartitionCheckpoint(tp.partition(), next,
                        Math.max(assigned.get(tp).maxPosition(), maxPositions.getOrDefault(tp, 0L)), topicId)));
                checkpoints.save(connection, projection.name(), topic, moved.values());
                connection.commit();
                suspectEvent = null;
                oneEventAtATime = false;
            } catch (RuntimeException | SQLException e) {
                rollbackQuietly(connection);
                throw e;
            }
        } catch (SQLException e) {
            throw databaseFailure("applying a batch of " + records.count() + " events (rolled back, nothing applied)", e);
        }
        assigned.putAll(moved);
        appliedVersions.applied(boardVersions);
        appliedEvents.increment(applied);
        duplicateEvents.increment(duplicates);
        moved.values().forEach(cp -> position.accumulateAndGet(cp.maxPosition(), Math::max));
    }

    /**
     * Locks the stored checkpoints and compares them with where this runner stands. They differ when a
     * rebuild switched the read model, or another instance applied these partitions after a rebalance
     * we have not heard of yet; either way the stored ones are the truth.
     */
    private boolean checkpointsMovedUnderUs(Connection connection) throws SQLException {
        Map<Integer, PartitionCheckpoint> stored = checkpoints.loadForUpdate(connection, projection.name(), topic);
        for (Map.Entry<TopicPartition, PartitionCheckpoint> entry : assigned.entrySet()) {
            PartitionCheckpoint ours = entry.getValue();
            PartitionCheckpoint theirs = stored.get(entry.getKey().partition());
            long storedOffset = theirs == null || !theirs.belongsTo(topicId) ? -1 : theirs.nextOffset();
            if (storedOffset != ours.nextOffset()) {
                log.info("projection {}: the stored checkpoint of {} is {} but this runner is at {} (a rebuild "
                        + "switched the read model, or another instance moved it); continuing from the stored one",
                        projection.name(), entry.getKey(), storedOffset, ours.nextOffset());
                return true;
            }
        }
        return false;
    }

    /** Applies one event; {@code ownBatch}: the batch is the event's alone and is finished here too. */
    private Projection.Outcome apply(Projection.Batch batch, ConsumerRecord<String, byte[]> record,
                                     EventEnvelope envelope, boolean ownBatch) {
        if (!envelope.scoreboardId().toString().equals(record.key())) {
            // The key decides the partition, and the partition is what keeps a board's events in
            // order; a record under the wrong key may overtake its board's earlier events.
            throw new RunnerFailure("event " + envelope.eventId() + " at " + where(record) + " has key '"
                    + record.key() + "' but belongs to scoreboard " + envelope.scoreboardId(), null);
        }
        String event = "event " + envelope.eventId() + " at " + where(record);
        try {
            Projection.Outcome outcome = batch.apply(envelope);
            if (ownBatch) {
                batch.finish();
            }
            return outcome;
        } catch (ProjectionException e) {
            // A queued write may fail while a later event is applied: the message names its own event.
            boolean thisEvent = e.event().eventId().equals(envelope.eventId());
            throw new RunnerFailure(thisEvent ? event + ": " + e.getMessage() : e.getMessage(), e);
        } catch (SQLException e) {
            throw failedToApply(event, envelope.eventId().toString(), !ownBatch, e);
        }
    }

    /** Sends the batch's queued writes; their failures are handled as an event's. */
    private void finish(Projection.Batch batch, int events) {
        try {
            batch.finish();
        } catch (ProjectionException e) {
            throw new RunnerFailure(e.getMessage(), e);
        } catch (SQLException e) {
            throw failedToApply("the queued writes of a batch of " + events + " events", null, true, e);
        }
    }

    /** {@code shared}: the failed writes may hold other events' rows than this event's. */
    private RuntimeException failedToApply(String event, String eventId, boolean shared, SQLException e) {
        if (shared && e instanceof QueuedWriteException queued) {
            // A queued row fails where it was sent, maybe under a later event: suspect its own event.
            event = queued.event();
            eventId = queued.pinpointed() ? queued.event() : null;
            if (!queued.pinpointed() && breaksADataRule(e)) {
                oneEventAtATime = true;
                return new DatabaseUnavailable("applying " + event + " (rolled back; retried one event at a time "
                        + "to find the event): " + sqlMessage(e), e);
            }
        }
        if (breaksADataRule(e) && eventId != null) {
            // Deterministic for the event, or a writer racing us for a partition without a checkpoint
            // yet (two instances during a rebalance): one retry, positioned afresh, tells them apart.
            if (eventId.equals(suspectEvent)) {
                return new RunnerFailure(event + ": " + sqlMessage(e) + " (also on a retry)", e);
            }
            suspectEvent = eventId;
        }
        // Rolled back by the caller, retried after a pause; named, in case the event is the cause.
        return new DatabaseUnavailable("applying " + event + " (rolled back, retried): " + sqlMessage(e), e);
    }

    private static EventEnvelope decode(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            throw new RunnerFailure("record at " + where(record) + " (key '" + record.key()
                    + "') has no value: the event topic holds only event envelopes, never tombstones", null);
        }
        try {
            return EventJson.readEnvelope(record.value());
        } catch (RuntimeException e) {
            throw new RunnerFailure("record at " + where(record) + " (key '" + record.key()
                    + "') is not a readable event envelope: " + e.getMessage(), e);
        }
    }

    private static String where(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    private void updateLag(Consumer<String, byte[]> c) {
        long total = 0;
        for (TopicPartition tp : assigned.keySet()) {
            OptionalLong partitionLag = c.currentLag(tp);
            total += partitionLag.orElse(0);
        }
        lag.set(total);
    }

    /**
     * Transient: conditions that pass, or that an operator or the database fixes without touching
     * this process (unreachable, restarting, recreated, not yet migrated, timed out, in conflict).
     * Documents the fault policy (docs/adr/0018); the runner waits out every database fault outside a
     * data rule anyway, these are the ones expected.
     */
    static boolean isTransient(SQLException e) {
        if (e instanceof SQLTransientException || e instanceof SQLRecoverableException) {
            return true;
        }
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") // connection exception
                || state.startsWith("57P")               // admin shutdown, crash shutdown, cannot connect now
                || state.equals("57014")                 // statement_timeout, or a cancelled statement
                || state.equals("55P03")                 // lock_timeout (lock not available)
                || state.startsWith("53")                // insufficient resources
                || state.equals("40001") || state.equals("40P01") // serialization failure, deadlock
                || state.equals("25006")                 // read-only transaction: a standby, during a failover
                || state.equals("3D000")                 // the database does not exist (dropped)
                || state.equals("3F000")                 // the read model's schema does not exist
                || state.equals("42P01")                 // a read-model table does not exist (not migrated yet)
                || state.equals("42703"));               // a column is missing: caught between two migrations
                                                         // of a recreated read model (each commits on its own)
    }

    /**
     * Errors an event's content can cause: a value out of range or malformed (class 22), a broken
     * constraint (23), a value too large (54). Everything else is the database's state, not the event's.
     */
    static boolean breaksADataRule(SQLException e) {
        String state = e.getSQLState();
        return !isTransient(e) && state != null
                && (state.startsWith("22") || state.startsWith("23") || state.startsWith("54"));
    }

    private static String sqlMessage(SQLException e) {
        return (e.getSQLState() != null ? "SQLSTATE " + e.getSQLState() + ": " : "") + e.getMessage();
    }

    /** Outside an event, every database failure is the database's: waited out, never a stop. */
    private static RuntimeException databaseFailure(String what, SQLException e) {
        return new DatabaseUnavailable(what + ": " + sqlMessage(e), e);
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is gone: nothing was committed
        }
    }

    /** Pauses newly assigned partitions until the runner thread has positioned them at their checkpoints. */
    private final class PauseUntilPositioned implements ConsumerRebalanceListener {

        private final Consumer<String, byte[]> c;

        PauseUntilPositioned(Consumer<String, byte[]> c) {
            this.c = c;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            c.pause(partitions);
            unpositioned.addAll(partitions);
            partitions.forEach(tp -> assigned.put(tp, new PartitionCheckpoint(tp.partition(), -1, 0)));
            // Asked on every assignment: after the topic was deleted and recreated the partitions come
            // back with the same numbers, and only the id tells the old offsets do not apply.
            topicId = currentTopicId().orElse(null);
            topicIdCheckedAt = System.nanoTime();
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Nothing to flush: every batch commits before the next poll, and this runs inside poll.
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(partitions);
        }

        private void forget(Collection<TopicPartition> partitions) {
            appliedVersions.forgetAll(); // their boards are another instance's to apply now
            partitions.forEach(assigned::remove);
            unpositioned.removeAll(partitions);
        }
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
    private static final class RunnerFailure extends RuntimeException {
        RunnerFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
