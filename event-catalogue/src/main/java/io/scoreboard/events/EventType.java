package io.scoreboard.events;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The stable, published name and version of an event. Stored in the event store and carried in
 * the Kafka envelope instead of the Java class name, so classes can move without rewriting
 * history (see docs/adr/0003-stable-event-type-names.md).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface EventType {
    String name();

    int version();
}
