package io.scoreboard.command.scoreboard.api;

import io.scoreboard.events.ScoreboardEvent;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.serialization.Converter;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SerializedType;
import org.axonframework.serialization.Serializer;

/** The event store's serializer, counting how often it serializes an event payload. */
final class CountingSerializer implements Serializer {

    private final Serializer real;
    private final AtomicInteger events = new AtomicInteger();

    CountingSerializer(Serializer real) {
        this.real = real;
    }

    int events() {
        return events.get();
    }

    @Override
    public <T> SerializedObject<T> serialize(Object object, Class<T> expectedRepresentation) {
        if (object instanceof ScoreboardEvent) {
            events.incrementAndGet();
        }
        return real.serialize(object, expectedRepresentation);
    }

    @Override
    public <T> boolean canSerializeTo(Class<T> expectedRepresentation) {
        return real.canSerializeTo(expectedRepresentation);
    }

    @Override
    public <S, T> T deserialize(SerializedObject<S> serializedObject) {
        return real.deserialize(serializedObject);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class classForType(SerializedType type) {
        return real.classForType(type);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public SerializedType typeForClass(Class type) {
        return real.typeForClass(type);
    }

    @Override
    public Converter getConverter() {
        return real.getConverter();
    }
}
