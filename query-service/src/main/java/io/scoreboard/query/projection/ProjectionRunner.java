package io.scoreboard.query.projection;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.EventJson;
import io.scoreboard.projections.Projection;
import io.scoreboard.projections.checkpoint.PartitionCheckpoint;
import io.scoreboard.projections.checkpoint.ProjectionCheckpoints;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
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
 * <p>Each poll is one database transaction: the projection's changes and the new checkpoints of
 * the polled partitions commit together. On partition assignment the consumer seeks to the
 * stored checkpoints, so after a crash or a rebalance the same events are read again only if
 * their transaction did not commit (and then the projection's own per-board version check makes
 * them no-ops anyway). An event that fails stops the runner: health goes DOWN naming the event,
 * and nothing after it is applied until an operator fixes the cause and restarts.
 */
public final class ProjectionRunner {

    private static final Logger log = LoggerFactory.getLogger(ProjectionRunner.class);

    private final Projection projection;
    private final String topic;
    private final DataSource dataSource;
    private final ProjectionCheckpoints checkpoints;
    private final Supplier<Consumer<String, byte[]>> consumerFactory;
    private final Duration pollTimeout;

    // Owned by the runner thread; the listener runs inside poll() on the same thread.
    private final Map<TopicPartition, PartitionCheckpoint> assigned = new HashMap<>();

    private final Counter appliedEvents;
    private final Counter duplicateEvents;
    private final AtomicLong lag = new AtomicLong();
    private final AtomicLong position = new AtomicLong();

    private volatile RunnerStatus status = RunnerStatus.of(RunnerStatus.State.STOPPED);
    private volatile boolean running;
    private volatile Consumer<String, byte[]> consumer;
    private Thread thread;

    public ProjectionRunner(Projection projection, String topic, DataSource dataSource,
                            ProjectionCheckpoints checkpoints, Supplier<Consumer<String, byte[]>> consumerFactory,
                            Duration pollTimeout, MeterRegistry meters) {
        this.projection = projection;
        this.topic = topic;
        this.dataSource = dataSource;
        this.checkpoints = checkpoints;
        this.consumerFactory = consumerFactory;
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
                .description("1 while the projection runner is consuming, 0 when stopped or failed")
                .tag("projection", projection.name()).register(meters);
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
            c.subscribe(List.of(topic), new SeekToCheckpoints(c));
            status = RunnerStatus.of(RunnerStatus.State.RUNNING);
            log.info("projection {} consuming {}", projection.name(), topic);
            while (running) {
                ConsumerRecords<String, byte[]> records = c.poll(pollTimeout);
                applyBatch(c, records);
                updateLag(c);
            }
            status = RunnerStatus.of(RunnerStatus.State.STOPPED);
        } catch (WakeupException e) {
            if (running) {
                fail("woken up while running", e);
            } else {
                status = RunnerStatus.of(RunnerStatus.State.STOPPED);
            }
        } catch (Throwable e) {
            // The rebalance listener's failures arrive wrapped by the consumer: report our own message.
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

    private void applyBatch(Consumer<String, byte[]> c, ConsumerRecords<String, byte[]> records) {
        // Every partition that moved gets a new checkpoint: by records, or (with transactional
        // producers) past commit markers and aborted events without any record to show for it.
        Map<TopicPartition, Long> nextOffsets = new HashMap<>();
        for (Map.Entry<TopicPartition, PartitionCheckpoint> entry : assigned.entrySet()) {
            TopicPartition tp = entry.getKey();
            long next = c.position(tp);
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
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                Map<TopicPartition, Long> maxPositions = new HashMap<>();
                for (ConsumerRecord<String, byte[]> record : records) {
                    EventEnvelope envelope = decode(record);
                    if (apply(connection, record, envelope) == Projection.Outcome.APPLIED) {
                        applied++;
                    } else {
                        duplicates++;
                    }
                    maxPositions.merge(new TopicPartition(record.topic(), record.partition()), envelope.position(),
                            Math::max);
                }
                nextOffsets.forEach((tp, next) -> moved.put(tp, new PartitionCheckpoint(tp.partition(), next,
                        Math.max(assigned.get(tp).maxPosition(), maxPositions.getOrDefault(tp, 0L)))));
                checkpoints.save(connection, projection.name(), topic, moved.values());
                connection.commit();
            } catch (RuntimeException | SQLException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new RunnerFailure("the read database failed while applying a batch of " + records.count()
                    + " events (rolled back, nothing applied): " + e.getMessage(), e);
        }
        assigned.putAll(moved);
        appliedEvents.increment(applied);
        duplicateEvents.increment(duplicates);
        moved.values().forEach(cp -> position.accumulateAndGet(cp.maxPosition(), Math::max));
    }

    private Projection.Outcome apply(Connection connection, ConsumerRecord<String, byte[]> record,
                                     EventEnvelope envelope) throws SQLException {
        if (!envelope.scoreboardId().toString().equals(record.key())) {
            // The key decides the partition, and the partition is what keeps a board's events in
            // order; a record under the wrong key may overtake its board's earlier events.
            throw new RunnerFailure("event " + envelope.eventId() + " at " + where(record) + " has key '"
                    + record.key() + "' but belongs to scoreboard " + envelope.scoreboardId(), null);
        }
        try {
            return projection.apply(connection, envelope);
        } catch (RuntimeException | SQLException e) {
            throw new RunnerFailure("event " + envelope.eventId() + " at " + where(record) + ": " + e.getMessage(), e);
        }
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

    /** Resumes each newly assigned partition at the checkpoint stored in the read database. */
    private final class SeekToCheckpoints implements ConsumerRebalanceListener {

        private final Consumer<String, byte[]> c;

        SeekToCheckpoints(Consumer<String, byte[]> c) {
            this.c = c;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            Map<Integer, PartitionCheckpoint> stored;
            try (Connection connection = dataSource.getConnection()) {
                stored = checkpoints.load(connection, projection.name(), topic);
            } catch (SQLException e) {
                throw new RunnerFailure("cannot read the checkpoints of " + topic + " from the read database: "
                        + e.getMessage(), e);
            }
            for (TopicPartition tp : partitions) {
                PartitionCheckpoint checkpoint = stored.get(tp.partition());
                if (checkpoint != null) {
                    c.seek(tp, checkpoint.nextOffset());
                    assigned.put(tp, checkpoint);
                } else {
                    c.seekToBeginning(List.of(tp));
                    // -1: not stored yet, so the first poll writes a row even for an empty partition.
                    assigned.put(tp, new PartitionCheckpoint(tp.partition(), -1, 0));
                }
                log.info("projection {} resumes {} at offset {}", projection.name(), tp,
                        checkpoint == null ? "0 (no checkpoint)" : checkpoint.nextOffset());
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Nothing to flush: every batch commits before the next poll, and this runs inside poll.
            partitions.forEach(assigned::remove);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            partitions.forEach(assigned::remove);
        }
    }

    /** Ends the run loop with a message naming the event or record it stopped at. */
    private static final class RunnerFailure extends RuntimeException {
        RunnerFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
