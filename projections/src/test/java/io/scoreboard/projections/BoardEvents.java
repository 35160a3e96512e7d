package io.scoreboard.projections;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.ParticipantAddedEvent;
import io.scoreboard.events.ParticipantRemovedEvent;
import io.scoreboard.events.ParticipantRenamedEvent;
import io.scoreboard.events.ParticipantTeamChangedEvent;
import io.scoreboard.events.Ranking;
import io.scoreboard.events.RankingRulesChangedEvent;
import io.scoreboard.events.RewoundParticipant;
import io.scoreboard.events.RewoundTeam;
import io.scoreboard.events.RoundRecordedEvent;
import io.scoreboard.events.ScoreChangeUndoneEvent;
import io.scoreboard.events.ScoreChangedEvent;
import io.scoreboard.events.ScoreDelta;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.events.ScoreboardCreatedEvent;
import io.scoreboard.events.ScoreboardDeletedEvent;
import io.scoreboard.events.ScoreboardEvent;
import io.scoreboard.events.ScoreboardRenamedEvent;
import io.scoreboard.events.ScoreboardRestoredEvent;
import io.scoreboard.events.ScoreboardRewoundEvent;
import io.scoreboard.events.TeamCreatedEvent;
import io.scoreboard.events.TeamRemovedEvent;
import io.scoreboard.events.TeamRenamedEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes one board's history the way the command side does: sequence numbers from 0 per board,
 * global positions increasing across boards (shared {@link #POSITIONS}), resulting scores carried,
 * an undo reverting the latest not-yet-undone score change or round. Participants are named by their
 * current name; a removed participant's name is free for a new one.
 */
public final class BoardEvents {

    /** Global positions shared by every board of a test JVM, as in the event store. */
    private static final AtomicLong POSITIONS = new AtomicLong(1000);

    private final UUID scoreboardId = UUID.randomUUID();
    private final Map<String, UUID> participants = new HashMap<>();
    private final Map<UUID, BigDecimal> scores = new HashMap<>();
    /** Teams by the name they were created with (a rename keeps the key). */
    private final Map<String, UUID> teams = new HashMap<>();
    /** Score changes and rounds not undone yet, latest first: their sequence number and deltas. */
    private final Deque<Map.Entry<Long, List<ScoreDelta>>> undoable = new ArrayDeque<>();
    private long nextSequence;

    public UUID id() {
        return scoreboardId;
    }

    public UUID participant(String name) {
        return participants.get(name);
    }

    /** A team's id, by the name it was created with. */
    public UUID team(String name) {
        return teams.get(name);
    }

    public EventEnvelope teamCreated(String name) {
        UUID id = UUID.randomUUID();
        teams.put(name, id);
        return next(new TeamCreatedEvent(scoreboardId, id, name, null));
    }

    public EventEnvelope teamRenamed(String name, String newName) {
        return next(new TeamRenamedEvent(scoreboardId, teams.get(name), newName, null));
    }

    public EventEnvelope teamRemoved(String name) {
        return next(new TeamRemovedEvent(scoreboardId, teams.get(name), null));
    }

    /** The participant joins (or moves to) the team created as {@code team}; null leaves its team. */
    public EventEnvelope joined(String participant, String team) {
        return next(new ParticipantTeamChangedEvent(scoreboardId, participants.get(participant),
                team == null ? null : teams.get(team), null));
    }

    /** The name {@link #teamHistory} gives its first team (a comma and quotes, for CSV and JSON). */
    public static final String RED = "Red, \"the reds\"";

    /**
     * Every kind of team event around one current participant: teams created ({@link #RED}, Blue), the member
     * assigned to Red, Red renamed, Red removed with the member in it, the member assigned to Blue and unassigned,
     * Green created, then a rewind to the assignment: Red back (its name then) with the member in it, Green removed.
     */
    public List<EventEnvelope> teamHistory(String member) {
        List<EventEnvelope> events = new ArrayList<>();
        events.add(teamCreated(RED));
        events.add(teamCreated("Blue"));
        EventEnvelope joined = joined(member, RED);
        events.add(joined);
        events.add(teamRenamed(RED, "Crimson"));
        events.add(teamRemoved(RED));
        events.add(joined(member, "Blue"));
        events.add(joined(member, null));
        events.add(teamCreated("Green"));
        UUID id = participants.get(member);
        events.add(next(new ScoreboardRewoundEvent(scoreboardId, joined.occurredAt(), "teams as they were",
                List.of(new RewoundParticipant(id, member, scores.get(id), false, joined.position(), teams.get(RED))),
                null, List.of(new RewoundTeam(teams.get(RED), RED, false), new RewoundTeam(teams.get("Green"), "Green",
                        true)))));
        return events;
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
        ScoreDelta change = moveTo(name, score);
        undoable.push(Map.entry(nextSequence, List.of(change)));
        return next(new ScoreChangedEvent(scoreboardId, change.participantId(), change.delta(), change.score(), null));
    }

    /** A round setting several scores at once, each as {@code "Name=score"}. */
    public EventEnvelope round(String comment, String... nameEqualsScore) {
        List<ScoreDelta> deltas = new ArrayList<>();
        for (String pair : nameEqualsScore) {
            String[] parts = pair.split("=", 2);
            deltas.add(moveTo(parts[0], parts[1]));
        }
        undoable.push(Map.entry(nextSequence, List.copyOf(deltas)));
        return next(new RoundRecordedEvent(scoreboardId, comment, deltas));
    }

    /**
     * Reverts the latest score change or round not undone yet: negated deltas, resulting scores. Like
     * the command side, it leaves out participants removed since (possibly leaving no deltas at all).
     */
    public EventEnvelope undo() {
        Map.Entry<Long, List<ScoreDelta>> undone = undoable.pop();
        List<ScoreDelta> reverting = new ArrayList<>();
        for (ScoreDelta original : undone.getValue()) {
            if (!participants.containsValue(original.participantId())) {
                continue; // removed since
            }
            BigDecimal score = scores.get(original.participantId()).subtract(original.delta());
            scores.put(original.participantId(), score);
            reverting.add(new ScoreDelta(original.participantId(), original.delta().negate(), score));
        }
        return next(new ScoreChangeUndoneEvent(scoreboardId, undone.getKey(), reverting));
    }

    public EventEnvelope renamed(String name) {
        return next(new ScoreboardRenamedEvent(scoreboardId, name));
    }

    public EventEnvelope rulesChanged(ScoreOrder order, Ranking ranking) {
        return next(new RankingRulesChangedEvent(scoreboardId, order, ranking));
    }

    public EventEnvelope deleted() {
        return next(new ScoreboardDeletedEvent(scoreboardId));
    }

    public EventEnvelope restored() {
        return next(new ScoreboardRestoredEvent(scoreboardId));
    }

    public EventEnvelope participantRenamed(String name, String newName) {
        UUID id = participants.remove(name);
        participants.put(newName, id);
        return next(new ParticipantRenamedEvent(scoreboardId, id, newName));
    }

    public EventEnvelope removed(String name) {
        UUID id = participants.remove(name);
        return next(new ParticipantRemovedEvent(scoreboardId, id));
    }

    private ScoreDelta moveTo(String name, String score) {
        UUID id = participants.get(name);
        BigDecimal target = new BigDecimal(score);
        BigDecimal delta = target.subtract(scores.get(id));
        scores.put(id, target);
        return new ScoreDelta(id, delta, target);
    }

    public EventEnvelope next(ScoreboardEvent event) {
        return EventEnvelope.of(UUID.randomUUID(), nextSequence++, POSITIONS.incrementAndGet(),
                Instant.parse("2025-01-01T00:00:00Z").plusSeconds(nextSequence), event);
    }
}
