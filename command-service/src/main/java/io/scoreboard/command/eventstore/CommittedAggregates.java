package io.scoreboard.command.eventstore;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Aggregate roots in the state their last committed transaction left them, by identifier, kept so a
 * command need not replay the board's whole history. An entry is taken out while a command works on
 * it and put back only after that command's transaction committed, so what is kept was committed;
 * it may be behind the store (another instance wrote since), never ahead of it. The least recently
 * used entries go when their total weight (what the root says it holds) passes the budget.
 *
 * <p>Split into segments by identifier, each with its own lock and an equal share of the budget: with
 * one lock, 64 request threads on 2 cores queued behind a holder the scheduler had paused.
 */
final class CommittedAggregates<T> {

    /** A root as of {@code version}, its last event's sequence number. */
    record Entry<T>(T root, long version, long weight) {}

    private final Segment<T>[] segments;
    private final ToLongFunction<T> weigher;

    @SuppressWarnings("unchecked")
    CommittedAggregates(long maxWeight, int segmentCount, ToLongFunction<T> weigher) {
        if (segmentCount < 1) {
            throw new IllegalArgumentException("at least one segment, was " + segmentCount);
        }
        this.segments = new Segment[segmentCount];
        for (int i = 0; i < segmentCount; i++) {
            segments[i] = new Segment<>(maxWeight / segmentCount);
        }
        this.weigher = weigher;
    }

    /** Removes and returns the kept state of {@code id}, or null: the caller now owns the root. */
    Entry<T> take(String id) {
        return segmentOf(id).take(id);
    }

    /**
     * Keeps {@code root} as the committed state of {@code id} at {@code version}, unless a later one
     * is kept already (two commits' callbacks can arrive in either order) or it alone exceeds its
     * segment's budget.
     */
    void put(String id, T root, long version) {
        segmentOf(id).put(id, new Entry<>(root, version, Math.max(1, weigher.applyAsLong(root))));
    }

    int size() {
        int size = 0;
        for (Segment<T> segment : segments) {
            size += segment.size();
        }
        return size;
    }

    long totalWeight() {
        long weight = 0;
        for (Segment<T> segment : segments) {
            weight += segment.totalWeight();
        }
        return weight;
    }

    private Segment<T> segmentOf(String id) {
        return segments[Math.floorMod(id.hashCode(), segments.length)];
    }

    /** One lock's share: a least-recently-used map within its weight budget. */
    private static final class Segment<T> {
        private final long maxWeight;
        private final LinkedHashMap<String, Entry<T>> entries = new LinkedHashMap<>(256, 0.75f, true);
        private long totalWeight;

        Segment(long maxWeight) {
            this.maxWeight = maxWeight;
        }

        synchronized Entry<T> take(String id) {
            Entry<T> entry = entries.remove(id);
            if (entry != null) {
                totalWeight -= entry.weight();
            }
            return entry;
        }

        synchronized void put(String id, Entry<T> entry) {
            Entry<T> current = entries.get(id);
            if (current != null && current.version() >= entry.version()) {
                return;
            }
            if (current != null) {
                take(id);
            }
            if (entry.weight() > maxWeight) {
                return;
            }
            entries.put(id, entry);
            totalWeight += entry.weight();
            Iterator<Map.Entry<String, Entry<T>>> eldest = entries.entrySet().iterator();
            while (totalWeight > maxWeight && eldest.hasNext()) {
                totalWeight -= eldest.next().getValue().weight();
                eldest.remove();
            }
        }

        synchronized int size() {
            return entries.size();
        }

        synchronized long totalWeight() {
            return totalWeight;
        }
    }
}
