package io.scoreboard.query.projection;

import io.scoreboard.projections.checkpoint.PartitionCheckpoint;
import io.scoreboard.projections.checkpoint.ProjectionCheckpoints;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the runner stands in each partition it is assigned, and the checkpoints those positions come
 * from. The checkpoints in the read database are the truth, never Kafka's group offsets: newly assigned
 * partitions are paused until they are read from the database and the consumer has been positioned
 * there, and every batch first checks the stored ones are still where this runner left them (a rebuild
 * switching the read model, or another instance after a rebalance, may have moved them). Any partition
 * can be sent back to be positioned again (a fault, checkpoints moved under us); nothing is skipped.
 * Owned by the runner thread (the rebalance listener runs inside poll() on the same thread).
 */
final class PartitionPositions {

    // Logs as the runner: one logger for everything the runner does.
    private static final Logger log = LoggerFactory.getLogger(ProjectionRunner.class);
    /**
     * Longest wait for Kafka to say where a partition stands (after seeking to its start, that asks the
     * broker); a timeout is a Kafka fault, waited out like any other.
     */
    static final Duration POSITION_TIMEOUT = Duration.ofSeconds(10);

    private final String projection;
    private final String topic;
    private final DataSource dataSource;
    private final ProjectionCheckpoints checkpoints;
    private final TopicIncarnation incarnation;
    private final AppliedVersions appliedVersions;

    private final Map<TopicPartition, PartitionCheckpoint> assigned = new HashMap<>();
    /** Assigned, paused, and waiting to be positioned at their stored checkpoints. */
    private final Set<TopicPartition> unpositioned = new HashSet<>();

    PartitionPositions(String projection, String topic, DataSource dataSource, ProjectionCheckpoints checkpoints,
                       TopicIncarnation incarnation, AppliedVersions appliedVersions) {
        this.projection = projection;
        this.topic = topic;
        this.dataSource = dataSource;
        this.checkpoints = checkpoints;
        this.incarnation = incarnation;
        this.appliedVersions = appliedVersions;
    }

    void subscribe(Consumer<String, byte[]> c) {
        c.subscribe(List.of(topic), new PauseUntilPositioned(c));
    }

    /** A fresh assignment, so every partition is positioned again for the new topic incarnation. */
    void resubscribe(Consumer<String, byte[]> c) {
        log.warn("projection {}: topic {} was deleted and recreated; re-reading it from the stored checkpoints "
                + "of the new topic (or its start)", projection, topic);
        c.unsubscribe();
        assigned.clear();
        unpositioned.clear();
        incarnation.forget();
        subscribe(c);
    }

    boolean anyAssigned() {
        return !assigned.isEmpty();
    }

    /** Pauses every assigned partition (polls return nothing of them until they are positioned again). */
    void pauseAll(Consumer<String, byte[]> c) {
        c.pause(assigned.keySet());
    }

    /** Every assigned partition is positioned at its stored checkpoint again before the next poll. */
    void positionAllAgain() {
        unpositioned.addAll(assigned.keySet());
    }

    /** Seeks paused partitions to their stored checkpoints (or the topic's start) and resumes them. */
    void positionAtStoredCheckpoints(Consumer<String, byte[]> c) {
        if (unpositioned.isEmpty()) {
            return;
        }
        // The database may hold other versions now (a rebuild, a wipe, another instance's partitions).
        appliedVersions.forgetAll();
        Map<Integer, PartitionCheckpoint> stored;
        try (Connection connection = dataSource.getConnection()) {
            stored = checkpoints.load(connection, projection, topic);
        } catch (SQLException e) {
            throw SqlFaults.databaseFailure("cannot read the checkpoints of " + topic, e);
        }
        String topicId = incarnation.id();
        for (TopicPartition tp : unpositioned) {
            PartitionCheckpoint checkpoint = stored.get(tp.partition());
            if (checkpoint != null && checkpoint.belongsTo(topicId)) {
                c.seek(tp, checkpoint.nextOffset());
                assigned.put(tp, checkpoint);
            } else {
                if (checkpoint != null) {
                    log.warn("projection {}: {} was recreated (topic id {} → {}); reading the new topic from its "
                            + "start, skipping what the read model already holds", projection, tp,
                            checkpoint.topicId(), topicId);
                }
                c.seekToBeginning(List.of(tp));
                // -1: not stored for this topic incarnation, so the first poll writes a row even when empty.
                assigned.put(tp, new PartitionCheckpoint(tp.partition(), -1, 0, topicId));
            }
            log.info("projection {} resumes {} at offset {}", projection, tp,
                    assigned.get(tp).nextOffset() < 0 ? "0 (no checkpoint)" : assigned.get(tp).nextOffset());
        }
        c.resume(unpositioned);
        unpositioned.clear();
    }

    /**
     * The next offset of every positioned partition that moved in this poll. Every partition that moved
     * gets a new checkpoint: by records, or (with transactional producers) past commit markers and
     * aborted events without any record to show for it.
     */
    Map<TopicPartition, Long> nextOffsets(Consumer<String, byte[]> c, ConsumerRecords<String, byte[]> records) {
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
        return nextOffsets;
    }

    /** Where this runner stands in an assigned partition. */
    PartitionCheckpoint checkpoint(TopicPartition tp) {
        return assigned.get(tp);
    }

    /** A batch committed these checkpoints: the runner stands there now. */
    void committed(Map<TopicPartition, PartitionCheckpoint> moved) {
        assigned.putAll(moved);
    }

    /**
     * Locks the stored checkpoints and compares them with where this runner stands. They differ when a
     * rebuild switched the read model, or another instance applied these partitions after a rebalance
     * we have not heard of yet; either way the stored ones are the truth.
     */
    boolean checkpointsMovedUnderUs(Connection connection) throws SQLException {
        Map<Integer, PartitionCheckpoint> stored = checkpoints.loadForUpdate(connection, projection, topic);
        String topicId = incarnation.id();
        for (Map.Entry<TopicPartition, PartitionCheckpoint> entry : assigned.entrySet()) {
            PartitionCheckpoint ours = entry.getValue();
            PartitionCheckpoint theirs = stored.get(entry.getKey().partition());
            long storedOffset = theirs == null || !theirs.belongsTo(topicId) ? -1 : theirs.nextOffset();
            if (storedOffset != ours.nextOffset()) {
                log.info("projection {}: the stored checkpoint of {} is {} but this runner is at {} (a rebuild "
                        + "switched the read model, or another instance moved it); continuing from the stored one",
                        projection, entry.getKey(), storedOffset, ours.nextOffset());
                return true;
            }
        }
        return false;
    }

    /** Events in the topic not yet read from the assigned partitions, as far as the consumer knows. */
    long lag(Consumer<String, byte[]> c) {
        long total = 0;
        for (TopicPartition tp : assigned.keySet()) {
            OptionalLong partitionLag = c.currentLag(tp);
            total += partitionLag.orElse(0);
        }
        return total;
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
            incarnation.partitionsAssigned();
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
}
