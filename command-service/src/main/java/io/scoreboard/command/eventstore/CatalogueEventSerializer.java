package io.scoreboard.command.eventstore;

import io.scoreboard.events.EventCatalogue;
import io.scoreboard.events.EventJson;
import io.scoreboard.events.ScoreboardEvent;
import java.util.Optional;
import org.axonframework.serialization.Converter;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SerializedType;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.SimpleSerializedType;

/**
 * Axon's event serializer, speaking the event catalogue: a published event is stored with its
 * stable type name ({@code ScoreChanged}) and version as revision, and its payload is written by
 * {@link EventJson}, byte for byte what the Kafka envelope carries. Everything else (metadata,
 * snapshots) goes to a plain Jackson serializer. See docs/adr/0003-stable-event-type-names.md.
 */
public class CatalogueEventSerializer implements Serializer {

    private final Serializer fallback;

    public CatalogueEventSerializer(Serializer fallback) {
        this.fallback = fallback;
    }

    @Override
    public <T> SerializedObject<T> serialize(Object object, Class<T> expectedRepresentation) {
        if (object instanceof ScoreboardEvent event) {
            byte[] json = EventJson.writePayload(event);
            T data = getConverter().convert(json, byte[].class, expectedRepresentation);
            return new SimpleSerializedObject<>(data, expectedRepresentation, typeForClass(event.getClass()));
        }
        return fallback.serialize(object, expectedRepresentation);
    }

    @Override
    public <T> boolean canSerializeTo(Class<T> expectedRepresentation) {
        return fallback.canSerializeTo(expectedRepresentation);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <S, T> T deserialize(SerializedObject<S> serializedObject) {
        Optional<EventCatalogue.Entry> entry = EventCatalogue.byName(serializedObject.getType().getName());
        if (entry.isPresent()) {
            byte[] json = getConverter().convert(serializedObject.getData(), serializedObject.getContentType(),
                    byte[].class);
            return (T) EventJson.readPayload(entry.get().name(), json);
        }
        return fallback.deserialize(serializedObject);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class classForType(SerializedType type) {
        return EventCatalogue.byName(type.getName())
                .<Class>map(EventCatalogue.Entry::type)
                .orElseGet(() -> fallback.classForType(type));
    }

    @Override
    @SuppressWarnings("rawtypes")
    public SerializedType typeForClass(Class type) {
        return EventCatalogue.byClass(type)
                .<SerializedType>map(e -> new SimpleSerializedType(e.name(), Integer.toString(e.version())))
                .orElseGet(() -> fallback.typeForClass(type));
    }

    @Override
    public Converter getConverter() {
        return fallback.getConverter();
    }
}
