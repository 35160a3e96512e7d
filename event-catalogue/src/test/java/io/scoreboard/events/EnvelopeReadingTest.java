package io.scoreboard.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The one-pass envelope reader: any field order, unknown fields ignored, missing or wrong ones refused. */
class EnvelopeReadingTest {

    private static final UUID BOARD = UUID.fromString("6f1c2a4e-0000-4000-8000-000000000001");
    private static final UUID ANN = UUID.fromString("6f1c2a4e-0000-4000-8000-000000000002");

    private final EventEnvelope envelope = EventEnvelope.of(UUID.fromString("6f1c2a4e-0000-4000-8000-000000000003"),
            4, 1234, Instant.parse("2026-11-24T20:00:00.123Z"),
            new ScoreChangedEvent(BOARD, ANN, new BigDecimal("2.5"), new BigDecimal("10.25"), "round 3"));

    @Test
    void readsWhatItWrites() {
        assertThat(EventJson.readEnvelope(EventJson.writeEnvelope(envelope))).isEqualTo(envelope);
    }

    @Test
    void carriesThePayloadByteForByteAsTheEventStoreHoldsIt_decimalScaleIncluded() {
        EventEnvelope scaled = EventEnvelope.of(envelope.eventId(), 4, 1234, envelope.occurredAt(),
                new ScoreChangedEvent(BOARD, ANN, new BigDecimal("5.50"), new BigDecimal("10.0"), null));
        String json = new String(EventJson.writeEnvelope(scaled), StandardCharsets.UTF_8);
        assertThat(json).contains("\"payload\":" + new String(EventJson.writePayload(scaled.payload()), StandardCharsets.UTF_8))
                .contains("\"delta\":5.50", "\"score\":10.0");
        assertThat(EventJson.writePayload(EventJson.readEnvelope(json.getBytes(StandardCharsets.UTF_8)).payload()))
                .isEqualTo(EventJson.writePayload(scaled.payload()));
    }

    @Test
    void readsThePayloadBeforeTheType_andIgnoresUnknownFields() {
        String json = """
                {"payload":{"scoreboardId":"%s","participantId":"%s","delta":2.5,"score":10.25,"reason":"round 3"},
                 "extra":{"nested":[1,2]},"eventId":"6f1c2a4e-0000-4000-8000-000000000003","scoreboardId":"%s",
                 "sequenceNumber":4,"position":1234,"occurredAt":"2026-11-24T20:00:00.123Z","type":"ScoreChanged",
                 "typeVersion":1}""".formatted(BOARD, ANN, BOARD);
        assertThat(EventJson.readEnvelope(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(envelope);
    }

    @Test
    void refusesAMissingField_anUnknownType_andNonObjects() {
        String withoutPosition = new String(EventJson.writeEnvelope(envelope), StandardCharsets.UTF_8)
                .replace("\"position\":1234,", "");
        assertThatThrownBy(() -> EventJson.readEnvelope(withoutPosition.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(EventJson.MalformedEventException.class).hasMessageContaining("missing field 'position'");
        String unknown = new String(EventJson.writeEnvelope(envelope), StandardCharsets.UTF_8)
                .replace("\"ScoreChanged\"", "\"ScoreTeleported\"");
        assertThatThrownBy(() -> EventJson.readEnvelope(unknown.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(EventJson.UnknownEventTypeException.class);
        assertThatThrownBy(() -> EventJson.readEnvelope("[1]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(EventJson.MalformedEventException.class);
        assertThatThrownBy(() -> EventJson.readEnvelope("{\"eventId\":".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(EventJson.MalformedEventException.class);
    }
}
