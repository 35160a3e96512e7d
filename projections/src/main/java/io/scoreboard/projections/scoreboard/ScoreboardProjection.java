package io.scoreboard.projections.scoreboard;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.ParticipantAddedEvent;
import io.scoreboard.events.ParticipantRemovedEvent;
import io.scoreboard.events.ParticipantRenamedEvent;
import io.scoreboard.events.RankingRulesChangedEvent;
import io.scoreboard.events.RoundRecordedEvent;
import io.scoreboard.events.ScoreChangeUndoneEvent;
import io.scoreboard.events.ScoreChangedEvent;
import io.scoreboard.events.ScoreDelta;
import io.scoreboard.events.ScoreboardCreatedEvent;
import io.scoreboard.events.ScoreboardDeletedEvent;
import io.scoreboard.events.ScoreboardEvent;
import io.scoreboard.events.ScoreboardRenamedEvent;
import io.scoreboard.events.ScoreboardRestoredEvent;
import io.scoreboard.projections.Projection;
import io.scoreboard.projections.ProjectionException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

/**
 * Scoreboards and their participants' current scores ({@code scoreboards}, {@code participants}).
 *
 * <p>Idempotency is per board: {@code scoreboards.version} is the sequence number of the last
 * applied event, so an event at or below it is a duplicate. Because Kafka keeps a board's events
 * in order, anything other than exactly {@code version + 1} after that is a lost event, and the
 * projection refuses to go on rather than build a board with a hole in it.
 *
 * <p>Every score-carrying event holds the resulting scores, so scores are set, never re-added.
 * A removed participant keeps its row ({@code participants.removed}) for history and analytics but
 * is no longer listed or ranked, and nothing may happen to it any more; a deleted board keeps all
 * its rows ({@code scoreboards.deleted}) so a restore brings it back exactly as it was.
 */
public final class ScoreboardProjection implements Projection {

    public static final String NAME = "scoreboard";

    /** numeric(19,4): below 10^15 in magnitude, at most 4 fractional digits (SPEC). */
    private static final int MAX_SCALE = 4;
    private static final BigDecimal SCORE_LIMIT = BigDecimal.TEN.pow(15);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Outcome apply(Connection connection, EventEnvelope envelope) throws SQLException {
        OptionalLong version = lockBoardVersion(connection, envelope);
        if (version.isPresent() && envelope.sequenceNumber() <= version.getAsLong()) {
            return Outcome.DUPLICATE;
        }
        ScoreboardEvent event = envelope.payload();
        if (event instanceof ScoreboardCreatedEvent created) {
            if (version.isPresent()) {
                throw fail(envelope, "the scoreboard already exists at version " + version.getAsLong());
            }
            if (envelope.sequenceNumber() != 0) {
                throw fail(envelope, "ScoreboardCreated must be the board's first event (sequence 0)");
            }
            insertBoard(connection, envelope, created);
            return Outcome.APPLIED;
        }
        if (version.isEmpty()) {
            throw fail(envelope, "the scoreboard does not exist in the read model: its ScoreboardCreated "
                    + "event was never applied (lost event or wrong topic)");
        }
        long expected = version.getAsLong() + 1;
        if (envelope.sequenceNumber() != expected) {
            throw fail(envelope, "gap in the board's events: expected sequence " + expected
                    + " after the applied version " + version.getAsLong());
        }
        if (event instanceof ParticipantAddedEvent added) {
            insertParticipant(connection, envelope, added);
        } else if (event instanceof ScoreChangedEvent changed) {
            setScore(connection, envelope, changed.participantId(), changed.score());
        } else if (event instanceof RoundRecordedEvent round) {
            if (round.deltas().isEmpty()) {
                throw fail(envelope, "the round changes no participant's score (no deltas)");
            }
            setScores(connection, envelope, round.deltas());
        } else if (event instanceof ScoreChangeUndoneEvent undone) {
            if (undone.undoneSequenceNumber() < 1 || undone.undoneSequenceNumber() >= envelope.sequenceNumber()) {
                throw fail(envelope, "it undoes sequence " + undone.undoneSequenceNumber()
                        + ", which is not an earlier event of this board");
            }
            // No deltas is legitimate here: the command side leaves out participants removed since the
            // undone change, so undoing a change of only removed participants reverts nothing visible.
            setScores(connection, envelope, undone.deltas());
        } else if (event instanceof ParticipantRenamedEvent renamed) {
            renameParticipant(connection, envelope, renamed);
        } else if (event instanceof ParticipantRemovedEvent removed) {
            removeParticipant(connection, envelope, removed);
        } else if (event instanceof ScoreboardRenamedEvent renamed) {
            updateBoard(connection, envelope, "name = ?", renamed.name());
        } else if (event instanceof RankingRulesChangedEvent rules) {
            // Ranks are computed at read time (ScoreboardReader) from these two columns and each
            // participant's score_reached_position, so the board re-ranks with the next read.
            updateBoard(connection, envelope, "score_order = ?, ranking = ?",
                    rules.scoreOrder().name(), rules.ranking().name());
        } else if (event instanceof ScoreboardDeletedEvent) {
            setDeleted(connection, envelope, true);
        } else if (event instanceof ScoreboardRestoredEvent) {
            setDeleted(connection, envelope, false);
        } else {
            // The event type is known to the catalogue but not handled here: a new event type
            // must be taught to the projection before it is published, not silently ignored.
            throw fail(envelope, "no handler for event type " + envelope.type());
        }
        advanceBoard(connection, envelope);
        return Outcome.APPLIED;
    }

    /** The board's version, with the row locked so two appliers of one board serialise. */
    private static OptionalLong lockBoardVersion(Connection c, EventEnvelope e) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT version FROM scoreboards WHERE scoreboard_id = ? FOR UPDATE")) {
            p.setObject(1, e.scoreboardId());
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    private static void insertBoard(Connection c, EventEnvelope e, ScoreboardCreatedEvent created)
            throws SQLException {
        try (PreparedStatement p = c.prepareStatement("""
                INSERT INTO scoreboards (scoreboard_id, name, score_order, ranking, deleted, version,
                                         last_position, created_at, updated_at)
                VALUES (?, ?, ?, ?, FALSE, ?, ?, ?, ?)""")) {
            p.setObject(1, e.scoreboardId());
            p.setString(2, created.name());
            p.setString(3, created.scoreOrder().name());
            p.setString(4, created.ranking().name());
            p.setLong(5, e.sequenceNumber());
            p.setLong(6, e.position());
            p.setTimestamp(7, Timestamp.from(e.occurredAt()));
            p.setTimestamp(8, Timestamp.from(e.occurredAt()));
            p.executeUpdate();
        }
    }

    private static void insertParticipant(Connection c, EventEnvelope e, ParticipantAddedEvent added)
            throws SQLException {
        try (PreparedStatement p = c.prepareStatement("""
                INSERT INTO participants (scoreboard_id, participant_id, name, score, score_reached_position)
                VALUES (?, ?, ?, 0, ?)
                ON CONFLICT DO NOTHING""")) {
            p.setObject(1, e.scoreboardId());
            p.setObject(2, added.participantId());
            p.setString(3, added.name());
            p.setLong(4, e.position());
            if (p.executeUpdate() != 1) {
                throw fail(e, "participant " + added.participantId() + " already exists on this board");
            }
        }
    }

    /** A round or an undo: every listed participant gets the score the event carries. */
    private static void setScores(Connection c, EventEnvelope e, List<ScoreDelta> deltas) throws SQLException {
        Set<UUID> seen = new HashSet<>();
        for (ScoreDelta delta : deltas) {
            if (!seen.add(delta.participantId())) {
                throw fail(e, "participant " + delta.participantId() + " is listed twice; its resulting score "
                        + "is ambiguous");
            }
        }
        for (ScoreDelta delta : deltas) {
            setScore(c, e, delta.participantId(), delta.score());
        }
    }

    private static void setScore(Connection c, EventEnvelope e, UUID participantId, BigDecimal score)
            throws SQLException {
        if (score.stripTrailingZeros().scale() > MAX_SCALE || score.abs().compareTo(SCORE_LIMIT) >= 0) {
            // numeric(19,4) would round or reject it; the read model never rounds a score.
            throw fail(e, "score " + score.toPlainString() + " of participant " + participantId
                    + " cannot be stored exactly: the read model holds |score| < 10^15 with at most "
                    + MAX_SCALE + " fractional digits");
        }
        // A change that leaves the score where it was (delta 0) does not make the participant
        // the latest to reach it: keep the old position for ORDINAL tie-breaks.
        try (PreparedStatement p = c.prepareStatement("""
                UPDATE participants
                   SET score_reached_position = CASE WHEN score = ? THEN score_reached_position ELSE ? END,
                       score = ?
                 WHERE scoreboard_id = ? AND participant_id = ? AND NOT removed""")) {
            p.setBigDecimal(1, score);
            p.setLong(2, e.position());
            p.setBigDecimal(3, score);
            p.setObject(4, e.scoreboardId());
            p.setObject(5, participantId);
            if (p.executeUpdate() != 1) {
                throw notACurrentParticipant(c, e, participantId);
            }
        }
    }

    private static void renameParticipant(Connection c, EventEnvelope e, ParticipantRenamedEvent renamed)
            throws SQLException {
        try (PreparedStatement p = c.prepareStatement("""
                UPDATE participants SET name = ?
                 WHERE scoreboard_id = ? AND participant_id = ? AND NOT removed""")) {
            p.setString(1, renamed.name());
            p.setObject(2, e.scoreboardId());
            p.setObject(3, renamed.participantId());
            if (p.executeUpdate() != 1) {
                throw notACurrentParticipant(c, e, renamed.participantId());
            }
        }
    }

    /** Soft: the row, its name and last score stay for history; the reader no longer lists it. */
    private static void removeParticipant(Connection c, EventEnvelope e, ParticipantRemovedEvent removed)
            throws SQLException {
        try (PreparedStatement p = c.prepareStatement("""
                UPDATE participants SET removed = TRUE, removed_at = ?
                 WHERE scoreboard_id = ? AND participant_id = ? AND NOT removed""")) {
            p.setTimestamp(1, Timestamp.from(e.occurredAt()));
            p.setObject(2, e.scoreboardId());
            p.setObject(3, removed.participantId());
            if (p.executeUpdate() != 1) {
                throw notACurrentParticipant(c, e, removed.participantId());
            }
        }
    }

    /** Why an event's participant cannot be changed: never on the board, or already removed from it. */
    private static ProjectionException notACurrentParticipant(Connection c, EventEnvelope e, UUID participantId)
            throws SQLException {
        Optional<Timestamp> removedAt;
        try (PreparedStatement p = c.prepareStatement(
                "SELECT removed_at FROM participants WHERE scoreboard_id = ? AND participant_id = ?")) {
            p.setObject(1, e.scoreboardId());
            p.setObject(2, participantId);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    return fail(e, "participant " + participantId + " does not exist on this board");
                }
                removedAt = Optional.ofNullable(rs.getTimestamp(1));
            }
        }
        return fail(e, "participant " + participantId + " was removed from this board"
                + removedAt.map(t -> " at " + t.toInstant()).orElse("") + " and cannot change any more");
    }

    /** Sets board columns ({@code assignments} with one {@code ?} per value, all text). */
    private static void updateBoard(Connection c, EventEnvelope e, String assignments, String... values)
            throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "UPDATE scoreboards SET " + assignments + " WHERE scoreboard_id = ?")) {
            int i = 1;
            for (String value : values) {
                p.setString(i++, value);
            }
            p.setObject(i, e.scoreboardId());
            p.executeUpdate();
        }
    }

    /**
     * Soft delete and restore only flip the flag: participants, scores and rules stay, so a
     * restored board is exactly the board that was deleted. Deleting a deleted board (or restoring
     * one that is not deleted) means the read model and the command side disagree: loud.
     */
    private static void setDeleted(Connection c, EventEnvelope e, boolean deleted) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "UPDATE scoreboards SET deleted = ? WHERE scoreboard_id = ? AND deleted = ?")) {
            p.setBoolean(1, deleted);
            p.setObject(2, e.scoreboardId());
            p.setBoolean(3, !deleted);
            if (p.executeUpdate() != 1) {
                throw fail(e, deleted ? "the scoreboard is already deleted" : "the scoreboard is not deleted");
            }
        }
    }

    private static void advanceBoard(Connection c, EventEnvelope e) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("""
                UPDATE scoreboards
                   SET version = ?, last_position = GREATEST(last_position, ?), updated_at = ?
                 WHERE scoreboard_id = ?""")) {
            p.setLong(1, e.sequenceNumber());
            p.setLong(2, e.position());
            p.setTimestamp(3, Timestamp.from(e.occurredAt()));
            p.setObject(4, e.scoreboardId());
            p.executeUpdate();
        }
    }

    private static ProjectionException fail(EventEnvelope e, String problem) {
        return new ProjectionException(NAME, e, problem);
    }
}
