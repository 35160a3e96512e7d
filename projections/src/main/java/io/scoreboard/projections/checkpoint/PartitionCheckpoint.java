package io.scoreboard.projections.checkpoint;

/**
 * Where a projection stands in one partition of a topic.
 *
 * @param nextOffset  the next offset to read (everything before it is applied)
 * @param maxPosition highest global event position read through this partition, 0 when none
 */
public record PartitionCheckpoint(int partition, long nextOffset, long maxPosition) {
}
