package io.scoreboard.operator.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoreboard.events.EventJson;
import io.scoreboard.startup.ReplicatorToken;
import java.time.Instant;
import java.util.List;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;

/** What restore-event-store writes for Axon, checked against Axon 4.13 itself (the command service's version). */
class RestoreAxonFormatsTest {

    /** The command service's event serializer: Jackson on a copy of the catalogue's mapper. */
    private final JacksonSerializer eventSerializer = JacksonSerializer.builder()
            .objectMapper(EventJson.mapper().copy()).build();
    /** Its general serializer (tokens): Axon's default Jackson serializer. */
    private final JacksonSerializer generalSerializer = JacksonSerializer.defaultSerializer();

    @Test
    void timestamps_areFormattedAsAxonFormatsThem_atEveryPrecision() {
        Instant base = Instant.parse("2026-03-01T12:34:56Z");
        for (long nanos : new long[] {0, 1, 10, 1_000, 120_000_000, 123_000_000, 123_456_000, 123_456_789, 999_999_999}) {
            Instant instant = base.plusNanos(nanos);
            assertThat(AxonFormats.timestamp(instant)).isEqualTo(DateTimeUtils.formatInstant(instant));
            assertThat(AxonFormats.parseTimestamp(AxonFormats.timestamp(instant)))
                    .isEqualTo(instant.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        }
        assertThat(AxonFormats.timestamp(base)).as("unlike Instant.toString").isEqualTo("2026-03-01T12:34:56.000Z");
    }

    @Test
    void replicatorToken_isWhatAxonsJacksonSerializerWritesForAGapAwareToken() {
        SerializedObject<byte[]> axon = generalSerializer.serialize(GapAwareTrackingToken.newInstance(1_234_567,
                List.of()), byte[].class);

        assertThat(ReplicatorToken.format(1_234_567, new long[0])).isEqualTo(axon.getData());
        assertThat(ReplicatorToken.TOKEN_TYPE).isEqualTo(axon.getType().getName());
    }

    @Test
    void replicatorTokenWithGaps_isWhatAxonWrites_andReadsBack() {
        SerializedObject<byte[]> axon = generalSerializer.serialize(GapAwareTrackingToken.newInstance(20,
                List.of(3L, 17L)), byte[].class);

        assertThat(ReplicatorToken.format(20, new long[] {3, 17})).isEqualTo(axon.getData());
        assertThat(ReplicatorToken.parse(axon.getData())).isEqualTo(new ReplicatorToken.Coverage(20, List.of(3L, 17L)));
    }

    @Test
    void emptyMetaData_isWhatAxonWritesForNoMetaData_andReadsBackAsEmpty() {
        SerializedObject<byte[]> axon = eventSerializer.serialize(MetaData.emptyInstance(), byte[].class);

        assertThat(AxonFormats.EMPTY_META_DATA).isEqualTo(axon.getData());
        MetaData read = eventSerializer.deserialize(new org.axonframework.serialization.SimpleSerializedObject<>(
                AxonFormats.EMPTY_META_DATA, byte[].class, axon.getType()));
        assertThat(read).isEmpty();
    }
}
