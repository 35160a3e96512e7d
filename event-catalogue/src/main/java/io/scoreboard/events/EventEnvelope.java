package io.scoreboard.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One stored event with everything a reader needs to place it: the Kafka record value, and the
 * unit the read side and the operator tools work with.
 *
 * @param eventId        unique id; consumers de-duplicate by it
 * @param scoreboardId   the Kafka key; events of one board keep their order
 * @param sequenceNumber per-scoreboard sequence, from 0
 * @param position       global position in the event store (has gaps, never reused)
 * @param occurredAt     when the event was appended
 * @param type           stable type name from {@link EventType}
 * @param typeVersion    version of that type
 * @param payload        the event itself
 */
public record EventEnvelope(
        UUID eventId,
        UUID scoreboardId,
        long sequenceNumber,
        long position,
        Instant occurredAt,
        String type,
        int typeVersion,
        ScoreboardEvent payload) {

    public EventEnvelope {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(scoreboardId, "scoreboardId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payload, "payload");
        if (!scoreboardId.equals(payload.scoreboardId())) {
            throw new IllegalArgumentException("envelope scoreboardId " + scoreboardId
                    + " differs from the payload's " + payload.scoreboardId());
        }
    }

    /** Wraps an event, taking its type name and version from the catalogue. */
    public static EventEnvelope of(UUID eventId, long sequenceNumber, long position, Instant occurredAt,
                                   ScoreboardEvent payload) {
        EventCatalogue.Entry entry = EventCatalogue.of(payload);
        return new EventEnvelope(eventId, payload.scoreboardId(), sequenceNumber, position, occurredAt,
                entry.name(), entry.version(), payload);
    }
}
