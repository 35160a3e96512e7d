package io.scoreboard.command.scoreboard.api;

import io.scoreboard.command.scoreboard.CommandRejectedException;
import io.scoreboard.command.scoreboard.ErrorCode;
import io.scoreboard.events.ScoreboardEvent;
import io.scoreboard.events.ScoreboardRewoundEvent;
import java.util.List;
import java.util.function.BiFunction;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.serialization.Serializer;
import org.springframework.util.unit.DataSize;

/**
 * Refuses a command whose events would be larger than scoreboard.limits.max-event-size, when the
 * aggregate applies them: the command fails with 422 and its unit of work is rolled back, so nothing is
 * stored. An event that is stored must reach Kafka, and Kafka refuses records above its limits forever.
 *
 * <p>The size measured is the stored payload itself, serialized by the event store's own serializer
 * through the message: Axon keeps a message's serialized form per serializer, and the storage engine
 * asks the message for it again when it appends, so the check costs no serialization of its own and is
 * exact to the byte (an event of exactly the limit passes).
 */
public class EventSizeLimit implements MessageDispatchInterceptor<EventMessage<?>> {

    private final long maxBytes;
    private final Serializer eventSerializer;

    /** @param eventSerializer the storage engine's event serializer (the same instance, or nothing is reused) */
    public EventSizeLimit(DataSize max, Serializer eventSerializer) {
        this.maxBytes = max.toBytes();
        this.eventSerializer = eventSerializer;
    }

    public long maxBytes() {
        return maxBytes;
    }

    @Override
    public BiFunction<Integer, EventMessage<?>, EventMessage<?>> handle(List<? extends EventMessage<?>> messages) {
        return (index, message) -> {
            if (message.getPayload() instanceof ScoreboardEvent) {
                int size = message.serializePayload(eventSerializer, byte[].class).getData().length;
                if (size > maxBytes && message.getPayload() instanceof ScoreboardRewoundEvent rewind) {
                    // Computed from the board's history, not from the request: nothing in it can be split.
                    throw new CommandRejectedException(ErrorCode.LIMIT_EXCEEDED, "this rewind changes "
                            + rewind.participants().size() + " participants and " + rewind.teams().size()
                            + " teams: it would be stored as one event of " + size + " bytes, above the limit of "
                            + maxBytes + " bytes (scoreboard.limits.max-event-size); nothing was stored. Rewind to a "
                            + "later instant (fewer changes), or raise the limit (and Kafka's with it)");
                }
                if (size > maxBytes) {
                    throw new CommandRejectedException(ErrorCode.LIMIT_EXCEEDED, "this change would be stored as one "
                            + "event of " + size + " bytes, above the limit of " + maxBytes + " bytes "
                            + "(scoreboard.limits.max-event-size); nothing was stored. Split it into smaller changes "
                            + "(e.g. a round with fewer deltas)");
                }
            }
            return message;
        };
    }
}
