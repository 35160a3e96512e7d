package io.scoreboard.projections.scoreboard;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.ParticipantAddedEvent;
import io.scoreboard.events.ScoreChangedEvent;
import io.scoreboard.events.ScoreboardCreatedEvent;
import io.scoreboard.events.ScoreboardEvent;
import io.scoreboard.projections.Projection;
import io.scoreboard.projections.ProjectionException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.OptionalLong;

/**
 * Scoreboards and their participants' current scores ({@code scoreboards}, {@code participants}).
 *
 * <p>Idempotency is per board: {@code scoreboards.version} is the sequence number of the last
 * applied event, so an event at or below it is a duplicate. Because Kafka keeps a board's events
 * in order, anything other than exactly {@code version + 1} after that is a lost event, and the
 * projection refuses to go on rather than build a board with a hole in it.
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
            changeScore(connection, envelope, changed);
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

    private static void changeScore(Connection c, EventEnvelope e, ScoreChangedEvent changed) throws SQLException {
        BigDecimal score = changed.score();
        if (score.stripTrailingZeros().scale() > MAX_SCALE || score.abs().compareTo(SCORE_LIMIT) >= 0) {
            // numeric(19,4) would round or reject it; the read model never rounds a score.
            throw fail(e, "score " + score.toPlainString() + " cannot be stored exactly: the read model holds "
                    + "|score| < 10^15 with at most " + MAX_SCALE + " fractional digits");
        }
        // A change that leaves the score where it was (delta 0) does not make the participant
        // the latest to reach it: keep the old position for ORDINAL tie-breaks.
        try (PreparedStatement p = c.prepareStatement("""
                UPDATE participants
                   SET score_reached_position = CASE WHEN score = ? THEN score_reached_position ELSE ? END,
                       score = ?
                 WHERE scoreboard_id = ? AND participant_id = ?""")) {
            p.setBigDecimal(1, score);
            p.setLong(2, e.position());
            p.setBigDecimal(3, score);
            p.setObject(4, e.scoreboardId());
            p.setObject(5, changed.participantId());
            if (p.executeUpdate() != 1) {
                throw fail(e, "participant " + changed.participantId() + " does not exist on this board");
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
