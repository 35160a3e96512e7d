package io.scoreboard.projections;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.ParticipantAddedEvent;
import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreChangedEvent;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.events.ScoreboardCreatedEvent;
import io.scoreboard.events.ScoreboardEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes one board's history the way the command side does: sequence numbers from 0 per board,
 * global positions increasing across boards (shared {@link #POSITIONS}), resulting scores carried.
 */
public final class BoardEvents {

    /** Global positions shared by every board of a test JVM, as in the event store. */
    private static final AtomicLong POSITIONS = new AtomicLong(1000);

    private final UUID scoreboardId = UUID.randomUUID();
    private final Map<String, UUID> participants = new HashMap<>();
    private final Map<UUID, BigDecimal> scores = new HashMap<>();
    private long nextSequence;

    public UUID id() {
        return scoreboardId;
    }

    public UUID participant(String name) {
        return participants.get(name);
    }

    public EventEnvelope created(String name, ScoreOrder order, Ranking ranking) {
        return next(new ScoreboardCreatedEvent(scoreboardId, name, order, ranking, "admin-hash", "keeper-hash"));
    }

    public EventEnvelope added(String name) {
        UUID id = UUID.randomUUID();
        participants.put(name, id);
        scores.put(id, BigDecimal.ZERO);
        return next(new ParticipantAddedEvent(scoreboardId, id, name));
    }

    public EventEnvelope scoreSet(String name, String score) {
        UUID id = participants.get(name);
        BigDecimal target = new BigDecimal(score);
        BigDecimal delta = target.subtract(scores.get(id));
        scores.put(id, target);
        return next(new ScoreChangedEvent(scoreboardId, id, delta, target, null));
    }

    public EventEnvelope next(ScoreboardEvent event) {
        return EventEnvelope.of(UUID.randomUUID(), nextSequence++, POSITIONS.incrementAndGet(),
                Instant.parse("2025-01-01T00:00:00Z").plusSeconds(nextSequence), event);
    }
}
