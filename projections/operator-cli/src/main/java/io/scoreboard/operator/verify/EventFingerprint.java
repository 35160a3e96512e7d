package io.scoreboard.operator.verify;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.EventJson;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * A checksum of everything an event says: its canonical envelope fields and its canonical payload
 * JSON (so two copies that decode to the same event agree however their bytes were laid out, and
 * any change of meaning shows). Canonical means as the Kafka envelope carries it: through a JSON
 * tree, which writes decimals without trailing zeros (the store keeps {@code 0.0}, the topic says
 * {@code 0}; the same number). 64 bits of SHA-256: the chance that a changed event
 * keeps its fingerprint is 2^-64, and it keeps the index of millions of events small.
 */
final class EventFingerprint {

    private EventFingerprint() {}

    static long of(EventEnvelope e) {
        MessageDigest sha = sha256();
        sha.update(canonicalFields(e).getBytes(StandardCharsets.UTF_8));
        sha.update(canonicalPayload(e).getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.wrap(sha.digest()).getLong();
    }

    /** Which fields of two copies of one event differ, for the operator. */
    static List<String> differingFields(EventEnvelope stored, EventEnvelope topic) {
        List<String> fields = new ArrayList<>();
        compare(fields, "scoreboardId", stored.scoreboardId(), topic.scoreboardId());
        compare(fields, "sequenceNumber", stored.sequenceNumber(), topic.sequenceNumber());
        compare(fields, "position", stored.position(), topic.position());
        compare(fields, "occurredAt", stored.occurredAt(), topic.occurredAt());
        compare(fields, "type", stored.type(), topic.type());
        compare(fields, "typeVersion", stored.typeVersion(), topic.typeVersion());
        compare(fields, "payload", canonicalPayload(stored), canonicalPayload(topic));
        return fields;
    }

    private static String canonicalPayload(EventEnvelope e) {
        try {
            return EventJson.mapper().writeValueAsString(EventJson.mapper().valueToTree(e.payload()));
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot write the payload of event " + e.eventId(), ex);
        }
    }

    private static void compare(List<String> fields, String name, Object stored, Object topic) {
        if (!stored.equals(topic)) {
            fields.add(name + " (store " + stored + ", topic " + topic + ")");
        }
    }

    private static String canonicalFields(EventEnvelope e) {
        return e.eventId() + "|" + e.scoreboardId() + "|" + e.sequenceNumber() + "|" + e.position() + "|"
                + e.occurredAt() + "|" + e.type() + "|" + e.typeVersion() + "|";
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
