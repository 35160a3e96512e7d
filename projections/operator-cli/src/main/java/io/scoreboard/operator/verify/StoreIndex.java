package io.scoreboard.operator.verify;

import io.scoreboard.operator.cli.Progress;
import io.scoreboard.operator.source.StoredEvents;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The event store's snapshot, reduced to what the comparison needs per event (about 100 bytes:
 * a million events fit in a default CLI heap), and which of them the topic has shown so far.
 */
final class StoreIndex {

    static final class Entry {
        final UUID scoreboardId;
        final long sequence;
        final long position;
        final long fingerprint;
        boolean seenInTopic;

        Entry(UUID scoreboardId, long sequence, long position, long fingerprint) {
            this.scoreboardId = scoreboardId;
            this.sequence = sequence;
            this.position = position;
            this.fingerprint = fingerprint;
        }
    }

    private final Map<UUID, Entry> byEventId;
    private long unseen;

    private StoreIndex(Map<UUID, Entry> byEventId) {
        this.byEventId = byEventId;
        this.unseen = byEventId.size();
    }

    /** Reads the snapshot {@code c} is in (see {@link StoredEvents#beginSnapshot}). */
    static StoreIndex read(Connection c, long expectedEvents, Progress progress) throws SQLException {
        Map<UUID, Entry> entries = new HashMap<>((int) Math.min(Integer.MAX_VALUE / 2, expectedEvents * 4 / 3 + 16));
        StoredEvents.forEach(c, Long.MIN_VALUE, e -> {
            entries.put(e.eventId(), new Entry(e.scoreboardId(), e.sequenceNumber(), e.position(),
                    EventFingerprint.of(e)));
            progress.advance(1);
        });
        progress.finish();
        return new StoreIndex(entries);
    }

    Entry get(UUID eventId) {
        return byEventId.get(eventId);
    }

    int size() {
        return byEventId.size();
    }

    /** Marks the event seen; true the first time. */
    boolean markSeen(Entry entry) {
        if (entry.seenInTopic) {
            return false;
        }
        entry.seenInTopic = true;
        unseen--;
        return true;
    }

    /** Stored events the topic has not shown yet. */
    long unseen() {
        return unseen;
    }

    /** The stored events the topic never showed, in position order. */
    List<Map.Entry<UUID, Entry>> unseenEntries() {
        List<Map.Entry<UUID, Entry>> result = new ArrayList<>();
        byEventId.entrySet().stream().filter(e -> !e.getValue().seenInTopic).forEach(result::add);
        result.sort(Comparator.comparingLong(e -> e.getValue().position));
        return result;
    }
}
