package io.scoreboard.operator.verify;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.operator.source.TopicEvents;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Checks topic records against the store's snapshot. Delivery is at least once, so the topic is
 * de-duplicated by event id: every copy must carry the stored content, and each event's first copy
 * must come in its board's sequence order.
 *
 * <p>The consistent cut: the topic's end offsets were taken before the store's snapshot, and the
 * replicator publishes only committed events, so every record below those offsets must be in the
 * snapshot. Records read after them ({@link #pastTheCut()}) may be newer events; only their order
 * is checked.
 */
final class TopicComparison implements TopicEvents.RecordSink {

    /** Differing copies kept for their details; the report shows far fewer. */
    private static final int DETAILED_COPIES = 1_000;

    private final StoreIndex store;
    private final Differences differences;
    private final Map<UUID, Long> lastSequenceByBoard = new HashMap<>();
    private final Set<UUID> notInSnapshot = new HashSet<>();
    private final Map<UUID, EventEnvelope> differingCopies = new HashMap<>();
    private boolean pastTheCut;
    private long records;
    private long duplicates;
    private long newerEvents;

    TopicComparison(StoreIndex store, Differences differences) {
        this.store = store;
        this.differences = differences;
    }

    /** From now on, records come from beyond the end offsets taken before the snapshot. */
    void pastTheCut() {
        pastTheCut = true;
    }

    @Override
    public void accept(int partition, long offset, EventEnvelope e) {
        records++;
        StoreIndex.Entry stored = store.get(e.eventId());
        boolean firstCopy;
        if (stored == null) {
            firstCopy = notInSnapshot.add(e.eventId());
            if (firstCopy && pastTheCut) {
                newerEvents++;
            } else if (firstCopy) {
                differences.add(new Difference(Difference.Kind.NOT_IN_EVENT_STORE, e.eventId(), e.scoreboardId(),
                        e.sequenceNumber(), e.position(), "record at partition " + partition + " offset " + offset
                        + " (" + e.type() + ") has no event with this id in the event store"));
            }
        } else {
            firstCopy = store.markSeen(stored);
            if (EventFingerprint.of(e) != stored.fingerprint) {
                if (differingCopies.size() < DETAILED_COPIES) {
                    differingCopies.putIfAbsent(e.eventId(), e);
                }
                differences.add(new Difference(Difference.Kind.CONTENT_DIFFERS, e.eventId(), e.scoreboardId(),
                        e.sequenceNumber(), stored.position, "record at partition " + partition + " offset " + offset
                        + " differs from the stored event"));
            }
        }
        if (firstCopy) {
            checkOrder(partition, offset, e);
        } else {
            duplicates++;
        }
    }

    private void checkOrder(int partition, long offset, EventEnvelope e) {
        Long previous = lastSequenceByBoard.put(e.scoreboardId(), e.sequenceNumber());
        long expected = previous == null ? 0 : previous + 1;
        if (e.sequenceNumber() != expected) {
            differences.add(new Difference(Difference.Kind.OUT_OF_ORDER, e.eventId(), e.scoreboardId(),
                    e.sequenceNumber(), e.position(), "first copy at partition " + partition + " offset " + offset
                    + " has sequence " + e.sequenceNumber() + " where the board's next is " + expected));
        }
    }

    /** After the last read: every stored event the topic never showed is missing from it. */
    void reportMissing(String why) {
        for (Map.Entry<UUID, StoreIndex.Entry> missing : store.unseenEntries()) {
            StoreIndex.Entry e = missing.getValue();
            differences.add(new Difference(Difference.Kind.MISSING_FROM_TOPIC, missing.getKey(), e.scoreboardId,
                    e.sequence, e.position, "in the event store, not in the topic " + why));
        }
    }

    /** The topic's copy of a differing event (the first differing one), for the details. */
    EventEnvelope differingCopy(UUID eventId) {
        return differingCopies.get(eventId);
    }

    long records() {
        return records;
    }

    long duplicates() {
        return duplicates;
    }

    long newerEvents() {
        return newerEvents;
    }
}
