package io.scoreboard.command.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoreboard.events.ScoreChangedEvent;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.Test;

class CatalogueEventSerializerTest {

    private final Serializer serializer = new EventStoreConfiguration().eventSerializer();

    @Test
    void storesAnEventUnderItsStableNameAndVersion() {
        ScoreChangedEvent event = new ScoreChangedEvent(UUID.randomUUID(), UUID.randomUUID(),
                new BigDecimal("0.1"), new BigDecimal("12345678901234.5678"), null);

        SerializedObject<byte[]> stored = serializer.serialize(event, byte[].class);

        assertThat(stored.getType().getName()).isEqualTo("ScoreChanged");
        assertThat(stored.getType().getRevision()).isEqualTo("1");
        assertThat(new String(stored.getData(), StandardCharsets.UTF_8)).contains("\"score\":12345678901234.5678");
        assertThat((Object) serializer.deserialize(stored)).isEqualTo(event);
        assertThat(serializer.classForType(stored.getType())).isEqualTo(ScoreChangedEvent.class);
    }

    @Test
    void leavesMetadataToJackson() {
        MetaData metaData = MetaData.with("traceId", "abc");

        SerializedObject<byte[]> stored = serializer.serialize(metaData, byte[].class);

        assertThat((Object) serializer.deserialize(stored)).isEqualTo(metaData);
    }
}
