package io.scoreboard.command.replication;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.EventJson;
import io.scoreboard.events.ScoreboardEvent;
import io.scoreboard.startup.ReplicatorToken;
import io.scoreboard.startup.TopicRefusedException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Publishes every stored event, in store order, to the Kafka topic (key = scoreboard id, value = the
 * JSON envelope). One thread, on connections of its own (ReplicatorConnections) that request traffic
 * cannot take. Each cycle, in one transaction: claim the replicator's row (only one instance replicates
 * at a time, ReplicatorClaim), then for up to {@link #CYCLE_SPAN} read what the head and the gaps hold
 * (EventTable) and send it, one read after another without waiting for Kafka: each read's writes are
 * released by its acknowledgement (InFlightBatches, ADR 0027); finally wait for every acknowledgement and
 * store the new coverage. A crash can only
 * cause a re-send (consumers de-duplicate), never a loss; gaps are given up only when no transaction
 * can still commit them (GapTracker, ADR 0013).
 *
 * <p>Idle, it costs one index probe per poll interval ("anything committed above the head?", outside any
 * transaction) and a cycle per claim renewal; only while gaps are open does every poll run a cycle and
 * list the event table's writers (pg_locks). The topic's environment is checked with Kafka between
 * transactions, never inside one: on taking the claim before anything is published, then every minute on a
 * thread of its own while publishing goes on (TopicRecheck, ADR 0040).
 *
 * <p>Every fault is waited out (PostgreSQL, Kafka, a lost claim): the cycle rolls back and is tried
 * again after a short backoff, from the stored coverage. Only an event Kafka can never take (larger
 * than its maximum message size) or that cannot be read stops replication, loudly; it is retried
 * slowly, so raising the topic's limit resumes it without a restart.
 *
 * <p>Handing over: a stopping replicator finishes its cycle and releases the claim in its last
 * transaction, so another instance takes over at its next claim check (within claim-interval). A killed
 * one (SIGKILL, a lost host) releases nothing: PostgreSQL rolls back its open transaction when the
 * connection drops (nothing of an unacknowledged batch is stored), and its presence lock goes with its
 * sessions ({@link ReplicatorPresence}): another instance takes the claim at its next claim check, within
 * claim-interval of the kill (a lost host: within the presence's TCP keepalives, about 3 s, more). Should the
 * presence be unknown, the claim is taken once not renewed for claim-timeout, as before.
 * Meanwhile nothing is published, and REPLICATED writes on other instances answer 503 after their ack
 * timeout (stored; replicated after the takeover).
 */
@Component
public class KafkaReplicator implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(KafkaReplicator.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);
    private static final Duration STOPPED_RETRY = Duration.ofSeconds(30);
    /** How long stop() waits for a cycle in progress (a batch waiting for Kafka's acknowledgement). */
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);
    /**
     * How long one cycle's transaction stays open while events keep coming (ADR 0027): reads follow each other
     * without waiting for the previous one's acknowledgement, and the cycle ends by waiting for all of them and
     * storing the coverage. Short, because other instances' writes wait for the stored coverage and an open
     * transaction holds back PostgreSQL's pruning.
     */
    static final Duration CYCLE_SPAN = Duration.ofMillis(50);
    /** Longer than the producer's delivery timeout, after which it fails a send itself. */
    private static final Duration ACKNOWLEDGEMENT_WAIT = Duration.ofMinutes(3);
    /** How often a replicating instance checks again that the topic still belongs to its environment (ADR 0017). */
    private static final Duration TOPIC_CHECK_INTERVAL = Duration.ofSeconds(60);

    private final Producer<String, byte[]> producer;
    private final KafkaProperties kafka;
    private final ReplicationProgress progress;
    private final ReplicationStatus status;
    private final ReplicatorConnections connections;
    private final ReplicatorSettings settings;
    private final ReplicatorClaim claim;
    /** This replicator's sign of life in PostgreSQL: held before it claims, so its death frees the claim at once. */
    private final ReplicatorPresence presence;
    private final Clock clock;
    private final TopicGuard topicGuard;
    /** The topic's check every interval after the claim was taken, beside publishing (ADR 0040). */
    private final TopicRecheck recheck;
    private final Duration topicCheckInterval;
    private final Semaphore wakeUp = new Semaphore(0);
    private final InFlightBatches inFlight;
    private volatile boolean running;
    private volatile Thread thread;
    /** Null while this instance does not hold the claim: taking it reloads the stored coverage. */
    private GapTracker tracker;
    private Instant lastStored = Instant.EPOCH;
    private Instant topicCheckedAt = Instant.EPOCH;

    @Autowired
    public KafkaReplicator(Producer<String, byte[]> producer, KafkaProperties kafka, ReplicationProgress progress,
                           ReplicationStatus status, ReplicatorConnections connections, ReplicatorSettings settings,
                           Clock clock, TopicGuard topicGuard) {
        this(producer, kafka, progress, status, connections, settings, clock, topicGuard, TOPIC_CHECK_INTERVAL);
    }

    KafkaReplicator(Producer<String, byte[]> producer, KafkaProperties kafka, ReplicationProgress progress,
                    ReplicationStatus status, ReplicatorConnections connections, ReplicatorSettings settings,
                    Clock clock, TopicGuard topicGuard, Duration topicCheckInterval) {
        this.producer = producer;
        this.kafka = kafka;
        this.progress = progress;
        this.status = status;
        this.connections = connections;
        this.settings = settings;
        this.claim = new ReplicatorClaim(ReplicatorSettings.owner(), settings.claimTimeout());
        this.presence = new ReplicatorPresence(claim.owner(), connections::presenceSession);
        this.clock = clock;
        this.topicGuard = topicGuard;
        this.recheck = new TopicRecheck(topicGuard, clock);
        this.topicCheckInterval = topicCheckInterval;
        this.inFlight = new InFlightBatches(progress, this::wakeUp);
    }

    /** A write committed in this instance: look at once instead of at the next poll. */
    public void wakeUp() {
        if (wakeUp.availablePermits() == 0) {
            wakeUp.release();
        }
    }

    @Override
    public void start() {
        running = true;
        Thread t = new Thread(this::run, ReplicatorToken.PROCESSOR);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /**
     * Ends the loop after the cycle in progress (a batch in flight is acknowledged and committed first) and
     * waits for the thread, whose last transaction releases the claim: another instance takes over at its
     * next claim check instead of after the claim timeout. A thread still waiting for Kafka after
     * {@link #STOP_WAIT} keeps the claim until it ends or the process does (then the claim times out).
     */
    @Override
    public void stop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            wakeUp();
            try {
                t.join(STOP_WAIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                log.warn("the replicator is still in a batch after {} s; its claim is released when the batch "
                        + "ends, or taken by another instance {} s after its last renewal", STOP_WAIT.toSeconds(),
                        settings.claimTimeout().toSeconds());
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void run() {
        Duration backoff = Duration.ZERO;
        boolean look = true; // the next turn reads the event table (a full cycle), not only peeks at it
        while (running) {
            try {
                takeRecheck();
                Cycle cycle = look || !mayPeek(clock.instant()) ? cycle() : peek();
                status.recordHealthy();
                backoff = Duration.ZERO;
                look = true;
                switch (cycle) {
                    case NOT_OURS -> sleep(settings.claimInterval());
                    case CHECK_TOPIC -> checkTopicNow();
                    case IDLE -> look = awaitWakeUp(settings.pollInterval());
                    case BUSY -> { }
                }
            } catch (UnpublishableEventException e) {
                forgetClaim();
                status.recordStopped(e.getMessage());
                log.error("Replication STOPPED: {} Nothing after it is published until this is fixed; retrying in {} s.",
                        e.getMessage(), STOPPED_RETRY.toSeconds());
                sleep(STOPPED_RETRY);
            } catch (Exception e) {
                // Transient: PostgreSQL or Kafka unreachable or slow, the claim lost. Start again from what is stored.
                forgetClaim();
                backoff = backoff.isZero() ? Duration.ofMillis(100) : min(backoff.multipliedBy(2), MAX_BACKOFF);
                status.recordFault(e.toString());
                log.warn("replication cycle failed, retrying in {} ms: {}", backoff.toMillis(), e.toString());
                sleep(backoff);
            }
        }
        // The loop's last transaction: whoever checks the claim next may take it. (An interrupt that ended the
        // loop must not also fail the release: the pool refuses an interrupted thread a connection.)
        boolean interrupted = Thread.interrupted();
        recheck.close();
        releaseClaim();
        presence.close();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * NOT_OURS: another instance holds the claim. CHECK_TOPIC: the claim is ours, but the topic must be
     * checked (outside any transaction) before anything is published. IDLE: nothing more to read now.
     * BUSY: read again at once.
     */
    private enum Cycle { NOT_OURS, CHECK_TOPIC, IDLE, BUSY }

    /**
     * Whether the next look may be a single statement instead of a cycle: this instance holds the claim,
     * no gap is open (nothing can commit below the head that a peek would miss), and neither the claim's
     * renewal nor the topic's check is due. This is what an idle replicator costs.
     */
    private boolean mayPeek(Instant now) {
        return tracker != null && !tracker.hasGaps() && now.isBefore(lastStored.plus(settings.claimRefresh()))
                && now.isBefore(topicCheckedAt.plus(topicCheckInterval));
    }

    /** One index probe outside any transaction: BUSY (run a cycle) when a row committed above the head. */
    private Cycle peek() throws SQLException {
        try (Connection c = connections.get()) {
            return EventTable.anyAbove(c, tracker.head()) ? Cycle.BUSY : Cycle.IDLE;
        }
    }

    private Cycle cycle() throws SQLException {
        try (Connection c = connections.get()) {
            c.setAutoCommit(false);
            try {
                Cycle result = cycleIn(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                if (isLockTimeout(e)) {
                    // Another instance's batch or the CLI holds the row: not ours for now.
                    forgetClaim();
                    return Cycle.NOT_OURS;
                }
                throw e;
            }
        }
    }

    private Cycle cycleIn(Connection c) throws SQLException {
        setLockTimeout(c);
        Instant now = clock.instant();
        presence.ensureHeld(now);
        Optional<Coverage> stored = claim.claim(c, now);
        if (stored.isEmpty()) {
            forgetClaim();
            return Cycle.NOT_OURS;
        }
        status.recordClaimHeld();
        if (!now.isBefore(topicCheckedAt.plus(topicCheckInterval))) {
            // On taking the claim and now and then: the topic may have been recreated by another environment.
            if (tracker == null || !now.isBefore(topicCheckedAt.plus(topicCheckInterval.multipliedBy(2)))) {
                // Just claimed (nothing is published before the topic passed), or a recheck still unanswered an
                // interval after it was due: asked after this transaction (which keeps a claim just taken), so a
                // slow Kafka holds no transaction.
                return Cycle.CHECK_TOPIC;
            }
            recheck.ask(); // beside publishing: its outcome is taken before a later cycle
        }
        if (tracker == null) {
            Coverage from = stored.get();
            tracker = new GapTracker(from, from.gaps().length > 0 ? EventTable.writers(c) : Set.of());
            progress.advance(tracker.coverage());
        }
        Coverage atStart = tracker.coverage();
        long spanEnds = System.nanoTime() + CYCLE_SPAN.toNanos();
        boolean more;
        while (true) {
            more = readAndSend(c);
            requireNoFailedSend();
            long left = spanEnds - System.nanoTime();
            if (!running || left <= 0) {
                break;
            }
            if (more) {
                // The pipeline's memory bound: about one full read in flight, then wait for Kafka (or end the cycle).
                if (inFlight.bytesInFlight() >= settings.batchBytes().toBytes() && !awaitDrained(Duration.ofNanos(left))) {
                    break;
                }
            } else if (inFlight.isEmpty()) {
                break; // nothing read, nothing in flight: the cycle is done
            } else {
                // Until a write of this instance commits, the pipeline drains, or (other instances) the poll interval.
                awaitWakeUp(min(settings.pollInterval(), Duration.ofNanos(left)));
            }
        }
        // Whoever holds the claim's row lock knows no batch is in flight: the cycle ends with all acknowledged.
        awaitAcknowledged();
        Coverage coverage = tracker.coverage();
        Instant end = clock.instant();
        if (!coverage.equals(atStart)) {
            // Storing the coverage is bookkeeping (the writes were released on Kafka's acknowledgement); if it
            // fails, the batches are sent again and consumers drop the duplicates.
            claim.store(c, coverage, end);
            lastStored = end;
        } else if (!end.isBefore(lastStored.plus(settings.claimRefresh()))) {
            claim.refresh(c, end);
            lastStored = end;
        }
        return more ? Cycle.BUSY : Cycle.IDLE;
    }

    /**
     * One read of the head and the gaps, its rows sent without waiting for Kafka: their coverage is released
     * by the acknowledgement (InFlightBatches) while the next read goes on. True when more is waiting.
     */
    private boolean readAndSend(Connection c) throws SQLException {
        EventTable.Read read = EventTable.read(c, tracker.head(), tracker.gaps(), settings.batchSize(),
                settings.batchBytes().toBytes());
        long[] found = read.positions();
        // Listed after the read; without open or new gaps nobody's transaction matters.
        Set<String> writers = tracker.needsWriters(found, read.newHead()) ? EventTable.writers(c) : Set.of();
        boolean changed = tracker.advance(found, read.newHead(), read.examinedUpTo(), writers);
        if (changed || !read.rows().isEmpty()) {
            long bytes = 0;
            for (EventTable.Row row : read.rows()) {
                bytes += row.payload().length;
            }
            InFlightBatches.Batch batch = inFlight.open(tracker.coverage(), bytes);
            send(read.rows(), batch);
            batch.allSent();
        }
        return read.more();
    }

    /**
     * The topic's check on the replicator's thread: on taking the claim, or when a recheck is overdue. Called
     * outside any transaction; a refusal stops replication (nothing goes to another environment's topic, nor, in
     * production, to a topic made unsafe under the running service) until the next retry finds it fixed.
     */
    private void checkTopicNow() throws InterruptedException {
        if (recheck.underWay()) {
            // asked an interval ago and still unanswered: wait for it rather than ask Kafka twice at once
            recheck.awaitEnd();
            takeRecheck();
            if (clock.instant().isBefore(topicCheckedAt.plus(topicCheckInterval))) {
                return;
            }
        }
        Instant now = clock.instant();
        try {
            topicGuard.requireUsableTopic();
        } catch (TopicRefusedException refused) {
            throw refused(refused);
        }
        topicCheckedAt = now;
    }

    /** Takes the outcome of a recheck that has ended, if one has: a refused topic stops replication. */
    private void takeRecheck() {
        try {
            recheck.passed().ifPresent(started -> {
                if (started.isAfter(topicCheckedAt)) {
                    topicCheckedAt = started;
                }
            });
        } catch (TopicRefusedException refused) {
            throw refused(refused);
        }
    }

    private static UnpublishableEventException refused(TopicRefusedException refused) {
        return new UnpublishableEventException("the topic is refused: " + refused.getMessage() + " Fix: "
                + refused.fix(), refused);
    }

    /** Not (or no longer known to be) the claim's holder: taking it again reloads the coverage and checks the topic. */
    private void forgetClaim() {
        status.recordClaimGone();
        inFlight.abandon();
        tracker = null;
        recheck.forget();
        topicCheckedAt = Instant.EPOCH;
        lastStored = Instant.EPOCH;
    }

    private void setLockTimeout(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET LOCAL lock_timeout = '" + settings.claimInterval().toMillis() + "ms'");
        }
    }

    /** Sends the rows in position order; each acknowledgement is counted on the batch. */
    private void send(List<EventTable.Row> rows, InFlightBatches.Batch batch) {
        for (EventTable.Row row : rows) {
            ScoreboardEvent event;
            try {
                event = EventJson.readPayload(row.type(), row.payload());
            } catch (RuntimeException e) {
                throw new UnpublishableEventException("the event at position " + row.position() + " (" + row.type()
                        + ") cannot be read: " + e.getMessage(), e);
            }
            EventEnvelope envelope = EventEnvelope.of(row.eventId(), row.sequenceNumber(), row.position(),
                    row.occurredAt(), event);
            producer.send(new ProducerRecord<>(kafka.topic(), envelope.scoreboardId().toString(),
                    EventJson.writeEnvelope(envelope)), batch.send(row.position()));
        }
    }

    /** Fails the cycle when a send failed: nothing from it on was released, the next claim sends it again. */
    private void requireNoFailedSend() {
        InFlightBatches.Failure failed = inFlight.failure();
        if (failed == null) {
            return;
        }
        status.recordKafkaError();
        if (failed.cause() instanceof RecordTooLargeException) {
            throw new UnpublishableEventException("Kafka refuses the event at position " + failed.position()
                    + " as too large (" + failed.cause().getMessage() + "); raise the topic's max.message.bytes and "
                    + "the producer's max.request.size (scoreboard.kafka.max-message-bytes) above it", failed.cause());
        }
        throw new ReplicationFailedException("Kafka did not acknowledge an event: " + failed.cause(), failed.cause());
    }

    /** Waits until Kafka acknowledged every batch of the cycle (its producer fails a send after its delivery timeout). */
    private void awaitAcknowledged() {
        if (!awaitDrained(ACKNOWLEDGEMENT_WAIT)) {
            requireNoFailedSend();
            throw new ReplicationFailedException("Kafka did not acknowledge the events sent within "
                    + ACKNOWLEDGEMENT_WAIT.toSeconds() + " s", null);
        }
        requireNoFailedSend();
    }

    private boolean awaitDrained(Duration timeout) {
        try {
            return inFlight.awaitDrained(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReplicationFailedException("interrupted while waiting for Kafka", e);
        }
    }

    /** Its own transaction, waiting for the row lock no longer than a cycle does (the CLI may hold it). */
    private void releaseClaim() {
        status.recordClaimGone();
        try (Connection c = connections.get()) {
            c.setAutoCommit(false);
            try {
                setLockTimeout(c);
                claim.release(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            log.info("could not release the replicator's claim (another instance takes it after {} s): {}",
                    settings.claimTimeout().toSeconds(), e.toString());
        }
    }

    /** Waits for a write of this instance or the timeout; true when woken by a write (or a stop). */
    private boolean awaitWakeUp(Duration timeout) {
        try {
            if (wakeUp.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                wakeUp.drainPermits();
                return true;
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return true;
        }
    }

    /** Sleeps, but not past a stop. */
    private void sleep(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        while (running && System.nanoTime() < deadline) {
            try {
                Thread.sleep(Math.min(100, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }

    private static boolean isLockTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "55P03".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is gone; the pool replaces it
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public int getPhase() {
        // Stopped before the web server and the pools (lower phases stop later).
        return Integer.MAX_VALUE - 100;
    }

    /** The batch was not acknowledged; its coverage is not stored, so it will be sent again. */
    public static final class ReplicationFailedException extends RuntimeException {
        public ReplicationFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * An event that can never be published as it is, or a topic that is not this environment's: replication
     * stops (loudly) rather than skip an event or write into another environment's history.
     */
    static final class UnpublishableEventException extends RuntimeException {
        UnpublishableEventException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
