package io.scoreboard.events;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.UUID;

/**
 * The wire format of events: the payload JSON stored in the event store and the envelope JSON
 * published to Kafka. Both sides use this one class so the format cannot drift.
 *
 * <p>Numbers are exact: decimals are read as {@link java.math.BigDecimal} and written plain, never
 * through a double. Unknown payload fields are ignored so an older reader tolerates an additive
 * change.
 */
public final class EventJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private EventJson() {}

    /** The mapper configured for events; shared, do not reconfigure. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] writePayload(ScoreboardEvent event) {
        try {
            return MAPPER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + event.getClass().getSimpleName(), e);
        }
    }

    public static ScoreboardEvent readPayload(String type, byte[] json) {
        EventCatalogue.Entry entry = EventCatalogue.byName(type)
                .orElseThrow(() -> new UnknownEventTypeException(type));
        try {
            return MAPPER.readValue(json, entry.type());
        } catch (IOException e) {
            throw new MalformedEventException("cannot read a " + type + " payload: " + e.getMessage(), e);
        }
    }

    /**
     * The Kafka record value: all envelope fields plus the payload as a JSON object, written in one
     * pass. The payload is serialized exactly as {@link #writePayload} writes it (decimals keep their
     * scale: 5.50 stays 5.50), so the topic carries byte for byte the payload the event store holds
     * and a store restored from the topic holds the original bytes.
     */
    public static byte[] writeEnvelope(EventEnvelope envelope) {
        return writeEnvelope(envelope, MAPPER);
    }

    /** The envelope as {@link #writeEnvelope(EventEnvelope)} writes it, its payload written by {@code payloads}. */
    static byte[] writeEnvelope(EventEnvelope envelope, ObjectMapper payloads) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(384);
        try (JsonGenerator g = MAPPER.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("eventId", envelope.eventId().toString());
            g.writeStringField("scoreboardId", envelope.scoreboardId().toString());
            g.writeNumberField("sequenceNumber", envelope.sequenceNumber());
            g.writeNumberField("position", envelope.position());
            g.writeStringField("occurredAt", envelope.occurredAt().toString());
            g.writeStringField("type", envelope.type());
            g.writeNumberField("typeVersion", envelope.typeVersion());
            g.writeFieldName("payload");
            payloads.writeValue(g, envelope.payload());
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize envelope " + envelope.eventId(), e);
        }
        return out.toByteArray();
    }

    /**
     * One pass over the bytes (a rebuild decodes millions): the envelope's fields are read as they
     * come and the payload straight into its record once the type is known. Our writer puts
     * {@code type} before {@code payload}; for another order the payload is buffered as a tree.
     */
    public static EventEnvelope readEnvelope(byte[] json) {
        try (JsonParser p = MAPPER.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedEventException("not a JSON event envelope: expected an object", null);
            }
            String eventId = null;
            String scoreboardId = null;
            String occurredAt = null;
            String type = null;
            Long sequenceNumber = null;
            Long position = null;
            Integer typeVersion = null;
            ScoreboardEvent payload = null;
            JsonNode payloadTree = null;
            String field;
            while ((field = p.nextFieldName()) != null) {
                JsonToken token = p.nextToken();
                if (token == JsonToken.VALUE_NULL) {
                    continue; // treated as missing
                }
                switch (field) {
                    case "eventId" -> eventId = p.getValueAsString();
                    case "scoreboardId" -> scoreboardId = p.getValueAsString();
                    case "sequenceNumber" -> sequenceNumber = p.getValueAsLong();
                    case "position" -> position = p.getValueAsLong();
                    case "occurredAt" -> occurredAt = p.getValueAsString();
                    case "type" -> type = p.getValueAsString();
                    case "typeVersion" -> typeVersion = p.getValueAsInt();
                    case "payload" -> {
                        if (type != null) {
                            payload = MAPPER.readValue(p, catalogueType(type));
                        } else {
                            payloadTree = MAPPER.readTree(p);
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            String knownType = require(type, "type");
            if (payload == null) {
                payload = MAPPER.treeToValue(require(payloadTree, "payload"), catalogueType(knownType));
            }
            return new EventEnvelope(
                    UUID.fromString(require(eventId, "eventId")),
                    UUID.fromString(require(scoreboardId, "scoreboardId")),
                    require(sequenceNumber, "sequenceNumber"),
                    require(position, "position"),
                    Instant.parse(require(occurredAt, "occurredAt")),
                    knownType,
                    require(typeVersion, "typeVersion"),
                    payload);
        } catch (UnknownEventTypeException | MalformedEventException e) {
            throw e;
        } catch (JsonParseException e) {
            throw new MalformedEventException("not a JSON event envelope: " + e.getMessage(), e);
        } catch (IOException | IllegalArgumentException | java.time.format.DateTimeParseException e) {
            throw new MalformedEventException("invalid event envelope: " + e.getMessage(), e);
        }
    }

    private static Class<? extends ScoreboardEvent> catalogueType(String type) {
        return EventCatalogue.byName(type).orElseThrow(() -> new UnknownEventTypeException(type)).type();
    }

    private static <T> T require(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("missing field '" + field + "'");
        }
        return value;
    }

    /** An event type this reader does not know: a newer writer, or a corrupt record. */
    public static final class UnknownEventTypeException extends IllegalArgumentException {
        public UnknownEventTypeException(String type) {
            super("unknown event type '" + type + "': not in this version's event catalogue");
        }
    }

    /** Bytes that are not a valid event of the named type. */
    public static final class MalformedEventException extends RuntimeException {
        public MalformedEventException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
