package io.scoreboard.query.projection;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.EventJson;
import io.scoreboard.projections.Projection;
import io.scoreboard.projections.ProjectionException;
import io.scoreboard.projections.QueuedWriteException;
import io.scoreboard.projections.checkpoint.PartitionCheckpoint;
import io.scoreboard.projections.checkpoint.ProjectionCheckpoints;
import io.scoreboard.query.projection.ProjectionRunner.DatabaseUnavailable;
import io.scoreboard.query.projection.ProjectionRunner.RunnerFailure;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * Applies one poll's records to the read model in one database transaction, together with the moved
 * checkpoints: it locks the stored checkpoints and checks they are where the runner left them, applies the
 * events through one projection batch (its rows sent together), and commits all at once.
 *
 * <p>It tells a bad event from a fault that passes. An event the projection refuses, an unreadable record
 * or one under another board's key is a {@link RunnerFailure}: the runner stops on it. A database error is
 * the database's ({@link DatabaseUnavailable}, waited out) unless it breaks a data rule ({@link SqlFaults});
 * then the event is suspect, and the same event breaking a rule again on the retry is a bad event. When
 * rows sent together fail without naming their event, the retry applies one event at a time to find it.
 * Used by the runner thread only.
 */
final class BatchApplier {

    private final Projection projection;
    private final String topic;
    private final DataSource dataSource;
    private final ProjectionCheckpoints checkpoints;
    private final PartitionPositions positions;
    private final TopicIncarnation incarnation;
    private final AppliedVersions appliedVersions;
    private final ProjectionMetrics metrics;

    /** An event whose write broke a data rule once; a second time in a row makes it a bad event. */
    private String suspectEvent;
    /**
     * Rows sent together broke a data rule and the database does not say whose: the next attempt applies
     * each event with its own writes, so that the failing event is named (and a second failure stops us).
     */
    private boolean oneEventAtATime;

    BatchApplier(Projection projection, String topic, DataSource dataSource, ProjectionCheckpoints checkpoints,
                 PartitionPositions positions, TopicIncarnation incarnation, AppliedVersions appliedVersions,
                 ProjectionMetrics metrics) {
        this.projection = projection;
        this.topic = topic;
        this.dataSource = dataSource;
        this.checkpoints = checkpoints;
        this.positions = positions;
        this.incarnation = incarnation;
        this.appliedVersions = appliedVersions;
        this.metrics = metrics;
    }

    /**
     * Applies the poll's records and moves the checkpoints of every partition that moved, in one commit;
     * when the stored checkpoints moved under the runner, drops the records and sends every partition
     * back to be positioned at the stored ones.
     */
    void applyBatch(Consumer<String, byte[]> c, ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, Long> nextOffsets = positions.nextOffsets(c, records);
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
                if (positions.checkpointsMovedUnderUs(connection)) {
                    connection.rollback();
                    positions.pauseAll(c);
                    positions.positionAllAgain();
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
                String topicId = incarnation.id();
                nextOffsets.forEach((tp, next) -> moved.put(tp, new PartitionCheckpoint(tp.partition(), next,
                        Math.max(positions.checkpoint(tp).maxPosition(), maxPositions.getOrDefault(tp, 0L)), topicId)));
                checkpoints.save(connection, projection.name(), topic, moved.values());
                connection.commit();
                suspectEvent = null;
                oneEventAtATime = false;
            } catch (RuntimeException | SQLException e) {
                rollbackQuietly(connection);
                throw e;
            }
        } catch (SQLException e) {
            throw SqlFaults.databaseFailure("applying a batch of " + records.count()
                    + " events (rolled back, nothing applied)", e);
        }
        positions.committed(moved);
        appliedVersions.applied(boardVersions);
        metrics.counted(applied, duplicates);
        moved.values().forEach(cp -> metrics.reached(cp.maxPosition()));
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
            if (!queued.pinpointed() && SqlFaults.breaksADataRule(e)) {
                oneEventAtATime = true;
                return new DatabaseUnavailable("applying " + event + " (rolled back; retried one event at a time "
                        + "to find the event): " + SqlFaults.message(e), e);
            }
        }
        if (SqlFaults.breaksADataRule(e) && eventId != null) {
            // Deterministic for the event, or a writer racing us for a partition without a checkpoint
            // yet (two instances during a rebalance): one retry, positioned afresh, tells them apart.
            if (eventId.equals(suspectEvent)) {
                return new RunnerFailure(event + ": " + SqlFaults.message(e) + " (also on a retry)", e);
            }
            suspectEvent = eventId;
        }
        // Rolled back by the caller, retried after a pause; named, in case the event is the cause.
        return new DatabaseUnavailable("applying " + event + " (rolled back, retried): " + SqlFaults.message(e), e);
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

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is gone: nothing was committed
        }
    }
}
