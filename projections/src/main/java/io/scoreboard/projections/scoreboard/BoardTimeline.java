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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    /**
     * A participant after an event; a removed one keeps its row but is no longer ranked. {@code teamId}: its team
     * then (null: none).
     */
    public record Participant(UUID participantId, String name, BigDecimal score, long scoreReachedPosition,
                              boolean removed, UUID teamId) {

        /** A participant without a team. */
        public Participant(UUID participantId, String name, BigDecimal score, long scoreReachedPosition,
                           boolean removed) {
            this(participantId, name, score, scoreReachedPosition, removed, null);
        }
    }

    /** A team after an event that created, renamed, removed or restored it (its team_changes row). */
    public record Team(UUID teamId, String name, boolean removed) {}

    /** The board and every participant it ever had, at {@code board.version()}. */
    public record State(Board board, List<Participant> participants) {}

    /**
     * What one event changed: the board's columns when it changed them (else empty) and every participant it
     * changed, each as it stands after the event, and every team it changed (ADR 0046), by team id.
     */
    public record Event(long sequenceNumber, long position, Instant occurredAt, String type, Optional<Board> board,
                        List<Participant> participants, List<Team> teams) {

        /** An event that changed no team. */
        public Event(long sequenceNumber, long position, Instant occurredAt, String type, Optional<Board> board,
                     List<Participant> participants) {
            this(sequenceNumber, position, occurredAt, type, board, participants, List.of());
        }
    }

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
                SELECT participant_id, name, score, score_reached_position, removed, team_id
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
                SELECT DISTINCT ON (participant_id) participant_id, name, score, score_reached_position, removed,
                       team_id
                  FROM participant_changes
                 WHERE scoreboard_id = ? AND position <= %d
                 ORDER BY participant_id, sequence_number DESC""".formatted(position), scoreboardId)));
    }

    /** Where to read one board's events from: after {@code afterPosition}, up to sequence {@code uptoVersion}. */
    public record Cursor(UUID scoreboardId, long afterPosition, long uptoVersion) {}

    /**
     * The board's events after {@code afterPosition} up to sequence number {@code uptoVersion}, oldest first,
     * at most {@code limit} of them (the caller asks again for the rest).
     */
    public static List<Event> after(Connection connection, UUID scoreboardId, long afterPosition, long uptoVersion,
                                    int limit) throws SQLException {
        return after(connection, List.of(new Cursor(scoreboardId, afterPosition, uptoVersion)), limit)
                .getOrDefault(scoreboardId, List.of());
    }

    /**
     * The events of several boards at once, each as {@link #after(Connection, UUID, long, long, int)} reads
     * them (at most {@code limit} per board), in one statement: a live hub that follows many boards pays one
     * round trip per batch of notices, not one per board. Boards without such events are absent.
     */
    public static Map<UUID, List<Event>> after(Connection connection, List<Cursor> cursors, int limit)
            throws SQLException {
        Map<UUID, List<Event>> events = new HashMap<>();
        if (cursors.isEmpty()) {
            return events;
        }
        UUID[] ids = new UUID[cursors.size()];
        Long[] afterPositions = new Long[cursors.size()];
        Long[] uptoVersions = new Long[cursors.size()];
        for (int i = 0; i < cursors.size(); i++) {
            ids[i] = cursors.get(i).scoreboardId();
            afterPositions[i] = cursors.get(i).afterPosition();
            uptoVersions[i] = cursors.get(i).uptoVersion();
        }
        try (PreparedStatement p = connection.prepareStatement("""
                WITH events AS (
                    SELECT f.scoreboard_id, e.sequence_number, e.position, e.occurred_at, e.event_type
                      FROM unnest(?::uuid[], ?::bigint[], ?::bigint[]) AS f(scoreboard_id, after_position, upto_version)
                     CROSS JOIN LATERAL (
                        SELECT sequence_number, position, occurred_at, event_type FROM board_changes
                         WHERE scoreboard_id = f.scoreboard_id AND position > f.after_position
                           AND sequence_number <= f.upto_version
                        UNION
                        SELECT sequence_number, position, occurred_at, event_type FROM participant_changes
                         WHERE scoreboard_id = f.scoreboard_id AND position > f.after_position
                           AND sequence_number <= f.upto_version
                         ORDER BY 1
                         LIMIT ?) e)
                SELECT e.scoreboard_id, e.sequence_number, e.position, e.event_type, e.occurred_at,
                       b.name, b.score_order, b.ranking, b.deleted,
                       c.participant_id, c.name, c.score, c.score_reached_position, c.removed, c.team_id,
                       t.team_ids, t.team_names, t.teams_removed
                  FROM events e
                  -- Each event's rows probed one by one (OFFSET 0 keeps the planner from turning these back into
                  -- plain joins): as plain joins, expecting unnest's default of 100 cursors, it hashed the whole
                  -- participant_changes table on every read, 8 ms at 31,000 rows instead of 0.3.
                  LEFT JOIN LATERAL (
                        SELECT name, score_order, ranking, deleted FROM board_changes
                         WHERE scoreboard_id = e.scoreboard_id AND sequence_number = e.sequence_number
                        OFFSET 0) b ON true
                  LEFT JOIN LATERAL (
                        SELECT participant_id, name, score, score_reached_position, removed, team_id
                          FROM participant_changes
                         WHERE scoreboard_id = e.scoreboard_id AND position = e.position
                        OFFSET 0) c ON true
                  -- The teams the event changed, as arrays: one row per participant either way. Only the events that
                  -- change teams look (team_changes is keyed by team, so a lookup by event scans the board's rows).
                  LEFT JOIN LATERAL (
                        SELECT array_agg(team_id ORDER BY team_id) AS team_ids,
                               array_agg(name ORDER BY team_id) AS team_names,
                               array_agg(removed ORDER BY team_id) AS teams_removed
                          FROM team_changes
                         WHERE e.event_type IN ('TeamCreated', 'TeamRenamed', 'TeamRemoved', 'ScoreboardRewound')
                           AND scoreboard_id = e.scoreboard_id AND sequence_number = e.sequence_number
                        OFFSET 0) t ON true
                 ORDER BY e.scoreboard_id, e.sequence_number, c.participant_id""")) {
            p.setArray(1, connection.createArrayOf("uuid", ids));
            p.setArray(2, connection.createArrayOf("bigint", afterPositions));
            p.setArray(3, connection.createArrayOf("bigint", uptoVersions));
            p.setInt(4, limit);
            try (ResultSet rs = p.executeQuery()) {
                EventRows rows = null;
                while (rs.next()) {
                    UUID scoreboardId = rs.getObject(1, UUID.class);
                    long sequence = rs.getLong(2);
                    if (rows == null || !rows.scoreboardId.equals(scoreboardId) || rows.sequence != sequence) {
                        if (rows != null) {
                            rows.addTo(events);
                        }
                        rows = new EventRows(scoreboardId, sequence, rs);
                    }
                    if (rs.getObject(10) != null) {
                        rows.participants.add(new Participant(rs.getObject(10, UUID.class), rs.getString(11),
                                ScoreboardReader.exact(rs.getBigDecimal(12)), rs.getLong(13), rs.getBoolean(14),
                                rs.getObject(15, UUID.class)));
                    }
                }
                if (rows != null) {
                    rows.addTo(events);
                }
            }
        }
        return events;
    }

    /** The rows of one event being gathered (one row per participant it changed). */
    private static final class EventRows {
        final UUID scoreboardId;
        final long sequence;
        final long position;
        final String type;
        final Instant occurredAt;
        final Optional<Board> board;
        final List<Participant> participants = new ArrayList<>();
        final List<Team> teams = new ArrayList<>();

        EventRows(UUID scoreboardId, long sequence, ResultSet rs) throws SQLException {
            this.scoreboardId = scoreboardId;
            this.sequence = sequence;
            this.position = rs.getLong(3);
            this.type = rs.getString(4);
            this.occurredAt = rs.getTimestamp(5).toInstant();
            this.board = rs.getString(6) == null ? Optional.empty()
                    : Optional.of(new Board(scoreboardId, rs.getString(6), ScoreOrder.valueOf(rs.getString(7)),
                            Ranking.valueOf(rs.getString(8)), rs.getBoolean(9), sequence, position));
            java.sql.Array ids = rs.getArray(16);
            if (ids != null) {
                Object[] teamIds = (Object[]) ids.getArray();
                Object[] names = (Object[]) rs.getArray(17).getArray();
                Object[] removed = (Object[]) rs.getArray(18).getArray();
                for (int i = 0; i < teamIds.length; i++) {
                    teams.add(new Team((UUID) teamIds[i], (String) names[i], (Boolean) removed[i]));
                }
            }
        }

        void addTo(Map<UUID, List<Event>> events) {
            events.computeIfAbsent(scoreboardId, id -> new ArrayList<>())
                    .add(new Event(sequence, position, occurredAt, type, board, participants, teams));
        }
    }

    private static List<Participant> participants(Connection connection, String sql, UUID scoreboardId)
            throws SQLException {
        List<Participant> participants = new ArrayList<>();
        try (PreparedStatement p = connection.prepareStatement(sql)) {
            p.setObject(1, scoreboardId);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    participants.add(new Participant(rs.getObject(1, UUID.class), rs.getString(2),
                            ScoreboardReader.exact(rs.getBigDecimal(3)), rs.getLong(4), rs.getBoolean(5),
                            rs.getObject(6, UUID.class)));
                }
            }
        }
        return participants;
    }
}
