package io.scoreboard.events;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The one list of published event types and their stable names. Adding an event means adding it
 * here; a published name never changes meaning.
 */
public final class EventCatalogue {

    /** A published event type: its stable name, its version and the record that carries it. */
    public record Entry(String name, int version, Class<? extends ScoreboardEvent> type) {}

    private static final List<Class<? extends ScoreboardEvent>> TYPES = List.of(
            ScoreboardCreatedEvent.class,
            ScoreboardRenamedEvent.class,
            RankingRulesChangedEvent.class,
            ScoreboardDeletedEvent.class,
            ScoreboardRestoredEvent.class,
            ParticipantAddedEvent.class,
            ParticipantRenamedEvent.class,
            ParticipantRemovedEvent.class,
            ScoreChangedEvent.class,
            RoundRecordedEvent.class,
            ScoreChangeUndoneEvent.class,
            TokenIssuedEvent.class,
            TokenRevokedEvent.class,
            ScoreboardVisibilityChangedEvent.class,
            ScoreboardRewoundEvent.class,
            TeamCreatedEvent.class,
            TeamRenamedEvent.class,
            TeamRemovedEvent.class,
            ParticipantTeamChangedEvent.class);

    private static final Map<String, Entry> BY_NAME = TYPES.stream()
            .map(EventCatalogue::entryOf)
            .collect(Collectors.toUnmodifiableMap(Entry::name, Function.identity()));

    private static final Map<Class<?>, Entry> BY_CLASS = BY_NAME.values().stream()
            .collect(Collectors.toUnmodifiableMap(Entry::type, Function.identity()));

    private EventCatalogue() {}

    public static List<Entry> entries() {
        return TYPES.stream().map(BY_CLASS::get).toList();
    }

    public static Optional<Entry> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    public static Optional<Entry> byClass(Class<?> type) {
        return Optional.ofNullable(BY_CLASS.get(type));
    }

    public static Entry of(ScoreboardEvent event) {
        return byClass(event.getClass())
                .orElseThrow(() -> new IllegalArgumentException("not in the event catalogue: " + event.getClass()));
    }

    private static Entry entryOf(Class<? extends ScoreboardEvent> type) {
        EventType annotation = type.getAnnotation(EventType.class);
        if (annotation == null) {
            throw new IllegalStateException(type + " has no @EventType: every published event needs a stable name");
        }
        return new Entry(annotation.name(), annotation.version(), type);
    }
}
