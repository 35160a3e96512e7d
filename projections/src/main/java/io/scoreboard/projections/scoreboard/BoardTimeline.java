package io.scoreboard.projections.scoreboard;

import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreOrder;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One board's state and the events after it, from the read model, for a live view that follows the board
 * event by event: the whole state now or just after one of its events (from the history tables), and the
 * history rows of every event after a position, grouped per event. Callers read in one REPEATABLE READ
 * transaction, so the state and the rows agree with each other.
 *
 * <p>Within a board positions grow with sequence numbers (its events are appended one after the other),
 * so "after a position" is "after an event" and uses the history's (board, position) index.
 */
public final class BoardTimeline {

    /** The board's own columns after an event ({@code version}: that event's sequence number). */
    public record Board(UUID scoreboardId, String name, ScoreOrder scoreOrder, Ranking ranking, boolean deleted,
                        long version, long position) {}

    /** A participant after an event; a removed one keeps its row but is no longer ranked. */
    public record Participant(UUID participantId, String name, BigDecimal score, long scoreReachedPosition,
                              boolean removed) {}

    /** The board and every participant it ever had, at {@code board.version()}. */
    public record State(Board board, List<Participant> participants) {}

    /**
     * What one event changed: the board's columns when it changed them (else empty) and every participant it
     * changed, each as it stands after the event.
     */
    public record Event(long sequenceNumber, long position, Instant occurredAt, String type, Optional<Board> board,
                        List<Participant> participants) {}

    private BoardTimeline() {
    }

    /** The board as the read model holds it now; empty when it does not have the board. */
    public static Optional<State> current(Connection connection, UUID scoreboardId) throws SQLException {
        Optional<ScoreboardView> header = new ScoreboardReader().header(connection, scoreboardId);
        if (header.isEmpty()) {
            return Optional.empty();
        }
        ScoreboardView h = header.get();
        Board board = new Board(scoreboardId, h.name(), h.scoreOrder(), h.ranking(), h.deleted(), h.version(),
                h.lastPosition());
        return Optional.of(new State(board, participants(connection, """
                SELECT participant_id, name, score, score_reached_position, removed
                  FROM participants WHERE scoreboard_id = ?""", scoreboardId)));
    }

    /**
     * The board just after its event at {@code position}, from the history tables; empty when none of the
     * board's events is at that position (another board's, or a history the read model no longer has).
     */
    public static Optional<State> at(Connection connection, UUID scoreboardId, long position) throws SQLException {
        Board board;
        try (PreparedStatement p = connection.prepareStatement("""
                WITH event AS (
                    SELECT sequence_number FROM board_changes WHERE scoreboard_id = ? AND position = ?
                    UNION
                    SELECT sequence_number FROM participant_changes WHERE scoreboard_id = ? AND position = ?)
                SELECT b.name, b.score_order, b.ranking, b.deleted, event.sequence_number
                  FROM event, board_changes b
                 WHERE b.scoreboard_id = ? AND b.sequence_number <= event.sequence_number
                 ORDER BY b.sequence_number DESC
                 LIMIT 1""")) {
            p.setObject(1, scoreboardId);
            p.setLong(2, position);
            p.setObject(3, scoreboardId);
            p.setLong(4, position);
            p.setObject(5, scoreboardId);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                board = new Board(scoreboardId, rs.getString(1), ScoreOrder.valueOf(rs.getString(2)),
                        Ranking.valueOf(rs.getString(3)), rs.getBoolean(4), rs.getLong(5), position);
            }
        }
        return Optional.of(new State(board, participants(connection, """
                SELECT DISTINCT ON (participant_id) participant_id, name, score, score_reached_position, removed
                  FROM participant_changes
                 WHERE scoreboard_id = ? AND position <= %d
                 ORDER BY participant_id, sequence_number DESC""".formatted(position), scoreboardId)));
    }

    /**
     * The board's events after {@code afterPosition} up to sequence number {@code uptoVersion}, oldest first,
     * at most {@code limit} of them (the caller asks again for the rest).
     */
    public static List<Event> after(Connection connection, UUID scoreboardId, long afterPosition, long uptoVersion,
                                    int limit) throws SQLException {
        List<Event> events = new ArrayList<>();
        try (PreparedStatement p = connection.prepareStatement("""
                WITH events AS (
                    SELECT sequence_number, position, occurred_at, event_type FROM board_changes
                     WHERE scoreboard_id = ? AND position > ? AND sequence_number <= ?
                    UNION
                    SELECT sequence_number, position, occurred_at, event_type FROM participant_changes
                     WHERE scoreboard_id = ? AND position > ? AND sequence_number <= ?
                     ORDER BY 1
                     LIMIT ?)
                SELECT e.sequence_number, e.position, e.event_type, e.occurred_at,
                       b.name, b.score_order, b.ranking, b.deleted,
                       c.participant_id, c.name, c.score, c.score_reached_position, c.removed
                  FROM events e
                  LEFT JOIN board_changes b ON b.scoreboard_id = ? AND b.sequence_number = e.sequence_number
                  LEFT JOIN participant_changes c ON c.scoreboard_id = ? AND c.position = e.position
                 ORDER BY e.sequence_number, c.participant_id""")) {
            p.setObject(1, scoreboardId);
            p.setLong(2, afterPosition);
            p.setLong(3, uptoVersion);
            p.setObject(4, scoreboardId);
            p.setLong(5, afterPosition);
            p.setLong(6, uptoVersion);
            p.setInt(7, limit);
            p.setObject(8, scoreboardId);
            p.setObject(9, scoreboardId);
            try (ResultSet rs = p.executeQuery()) {
                long sequence = -1;
                long position = 0;
                String type = null;
                Instant occurredAt = null;
                Optional<Board> board = Optional.empty();
                List<Participant> participants = new ArrayList<>();
                while (rs.next()) {
                    if (rs.getLong(1) != sequence) {
                        if (type != null) {
                            events.add(new Event(sequence, position, occurredAt, type, board, participants));
                        }
                        sequence = rs.getLong(1);
                        position = rs.getLong(2);
                        type = rs.getString(3);
                        occurredAt = rs.getTimestamp(4).toInstant();
                        board = rs.getString(5) == null ? Optional.empty()
                                : Optional.of(new Board(scoreboardId, rs.getString(5),
                                        ScoreOrder.valueOf(rs.getString(6)), Ranking.valueOf(rs.getString(7)),
                                        rs.getBoolean(8), sequence, position));
                        participants = new ArrayList<>();
                    }
                    if (rs.getObject(9) != null) {
                        participants.add(new Participant(rs.getObject(9, UUID.class), rs.getString(10),
                                ScoreboardReader.exact(rs.getBigDecimal(11)), rs.getLong(12), rs.getBoolean(13)));
                    }
                }
                if (type != null) {
                    events.add(new Event(sequence, position, occurredAt, type, board, participants));
                }
            }
        }
        return events;
    }

    private static List<Participant> participants(Connection connection, String sql, UUID scoreboardId)
            throws SQLException {
        List<Participant> participants = new ArrayList<>();
        try (PreparedStatement p = connection.prepareStatement(sql)) {
            p.setObject(1, scoreboardId);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    participants.add(new Participant(rs.getObject(1, UUID.class), rs.getString(2),
                            ScoreboardReader.exact(rs.getBigDecimal(3)), rs.getLong(4), rs.getBoolean(5)));
                }
            }
        }
        return participants;
    }
}
