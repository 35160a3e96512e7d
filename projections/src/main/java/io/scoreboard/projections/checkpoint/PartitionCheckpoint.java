package io.scoreboard.projections.checkpoint;

/**
 * Where a projection stands in one partition of a topic.
 *
 * @param nextOffset  the next offset to read (everything before it is applied)
 * @param maxPosition highest global event position read through this partition, 0 when none
 * @param topicId     Kafka's id of the topic incarnation these offsets belong to; null when unknown
 *                    (a checkpoint written before topic ids were recorded)
 */
public record PartitionCheckpoint(int partition, long nextOffset, long maxPosition, String topicId) {

    public PartitionCheckpoint(int partition, long nextOffset, long maxPosition) {
        this(partition, nextOffset, maxPosition, null);
    }

    /** Whether these offsets may be used for the topic incarnation {@code currentTopicId}. */
    public boolean belongsTo(String currentTopicId) {
        return topicId == null || currentTopicId == null || topicId.equals(currentTopicId);
    }
}
