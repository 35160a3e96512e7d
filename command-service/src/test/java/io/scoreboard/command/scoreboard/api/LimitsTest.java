package io.scoreboard.command.scoreboard.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scoreboard.command.eventstore.EventStoreConfiguration;
import io.scoreboard.command.scoreboard.CommandRejectedException;
import io.scoreboard.command.scoreboard.ErrorCode;
import io.scoreboard.events.EventJson;
import io.scoreboard.events.RoundRecordedEvent;
import io.scoreboard.events.ScoreDelta;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** The limits fit together, and an event above its limit is refused before it is stored. */
class LimitsTest {

    private static final Serializer STORE_SERIALIZER = new EventStoreConfiguration().eventSerializer();

    private static RoundRecordedEvent round(int deltas) {
        UUID board = UUID.randomUUID();
        return new RoundRecordedEvent(board, "round", IntStream.range(0, deltas)
                .mapToObj(i -> new ScoreDelta(UUID.randomUUID(), BigDecimal.ONE, BigDecimal.TEN))
                .toList());
    }

    @Test
    void anEventAboveTheLimit_isRefusedWith422_beforeItIsStored() {
        RoundRecordedEvent big = round(200);
        int size = EventJson.writePayload(big).length;
        EventSizeLimit limit = new EventSizeLimit(DataSize.ofBytes(size - 1), STORE_SERIALIZER);
        List<EventMessage<?>> messages = List.of(GenericEventMessage.asEventMessage(big));

        assertThatThrownBy(() -> limit.handle(messages).apply(0, messages.get(0)))
                .isInstanceOfSatisfying(CommandRejectedException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
                    assertThat(e.getMessage()).contains(Integer.toString(size), "scoreboard.limits.max-event-size");
                });
    }

    @Test
    void anEventAtTheLimit_passes() {
        RoundRecordedEvent event = round(200);
        EventSizeLimit limit = new EventSizeLimit(DataSize.ofBytes(EventJson.writePayload(event).length),
                STORE_SERIALIZER);
        List<EventMessage<?>> messages = List.of(GenericEventMessage.asEventMessage(event));
        assertThat(limit.handle(messages).apply(0, messages.get(0))).isSameAs(messages.get(0));
    }

    @Test
    void measuringAnEvent_serializesItOnce_andTheStoreReusesThatForm() {
        CountingSerializer serializer = new CountingSerializer(STORE_SERIALIZER);
        RoundRecordedEvent event = round(50);
        EventSizeLimit limit = new EventSizeLimit(DataSize.ofKilobytes(512), serializer);
        List<EventMessage<?>> messages = List.of(GenericEventMessage.asEventMessage(event));

        EventMessage<?> passed = limit.handle(messages).apply(0, messages.get(0));
        // What Axon's JDBC engine asks of the message when it appends it.
        byte[] stored = passed.serializePayload(serializer, byte[].class).getData();

        assertThat(serializer.events()).as("one serialization for the check and the store together").isEqualTo(1);
        assertThat(stored).isEqualTo(EventJson.writePayload(event));
    }

    @Test
    void theDefaults_fitKafkasDefaults() {
        assertThat(ReplicationLimitsCheck.problems(DataSize.ofKilobytes(512).toBytes(), DataSize.ofMegabytes(1).toBytes(),
                1_048_588, "scoreboard-events")).isEmpty();
    }

    @Test
    void anEventLimitAboveTheProducersOrTheTopics_isRefused_namingTheSettings() {
        long oneMiB = DataSize.ofMegabytes(1).toBytes();
        assertThat(ReplicationLimitsCheck.problems(oneMiB, oneMiB, 10 * oneMiB, "t"))
                .singleElement().asString().contains("scoreboard.replicator.max-request-size");
        assertThat(ReplicationLimitsCheck.problems(oneMiB, 10 * oneMiB, oneMiB, "t"))
                .singleElement().asString().contains("max.message.bytes", "kafka-configs.sh");
    }
}
