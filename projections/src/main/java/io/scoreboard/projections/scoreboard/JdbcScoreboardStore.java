package io.scoreboard.projections.scoreboard;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.ScoreboardCreatedEvent;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * The live store: the read model's tables ({@code scoreboards}, {@code participants} and their
 * history {@code board_changes}, {@code participant_changes}; unqualified,
 * so the connection's search_path picks the schema) through the caller's connection and
 * transaction. One instance per transaction; it never commits.
 */
public final class JdbcScoreboardStore implements ScoreboardStore {

    /** Participant changes return the row as it is afterwards (for the history row). */
    private static final String RETURNING_PARTICIPANT =
            " RETURNING participant_id, name, score, score_reached_position, removed, removed_at";

    private final Connection c;

    public JdbcScoreboardStore(Connection connection) {
        this.c = connection;
    }

    @Override
    public OptionalLong lockBoardVersion(UUID scoreboardId) throws SQLException {
        // FOR UPDATE: two appliers of one board (a rebalance overlap) serialise on the row.
        try (PreparedStatement p = c.prepareStatement(
                "SELECT version FROM scoreboards WHERE scoreboard_id = ? FOR UPDATE")) {
            p.setObject(1, scoreboardId);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    @Override
    public void insertBoard(EventEnvelope e, ScoreboardCreatedEvent created) throws SQLException {
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

    @Override
    public Optional<ParticipantRow> insertParticipant(UUID scoreboardId, UUID participantId, String name,
                                                      long position) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("""
                INSERT INTO participants (scoreboard_id, participant_id, name, score, score_reached_position)
                VALUES (?, ?, ?, 0, ?)
                ON CONFLICT DO NOTHING""" + RETURNING_PARTICIPANT)) {
            p.setObject(1, scoreboardId);
            p.setObject(2, participantId);
            p.setString(3, name);
            p.setLong(4, position);
            return participantAfter(p);
        }
    }

    @Override
    public Optional<ParticipantRow> setScore(UUID scoreboardId, UUID participantId, BigDecimal score, long position)
            throws SQLException {
        try (PreparedStatement p = c.prepareStatement("""
                UPDATE participants
                   SET score_reached_position = CASE WHEN score = ? THEN score_reached_position ELSE ? END,
                       score = ?
                 WHERE scoreboard_id = ? AND participant_id = ? AND NOT removed""" + RETURNING_PARTICIPANT)) {
            p.setBigDecimal(1, score);
            p.setLong(2, position);
            p.setBigDecimal(3, score);
            p.setObject(4, scoreboardId);
            p.setObject(5, participantId);
            return participantAfter(p);
        }
    }

    @Override
    public Optional<ParticipantRow> renameParticipant(UUID scoreboardId, UUID participantId, String name)
            throws SQLException {
        try (PreparedStatement p = c.prepareStatement("""
                UPDATE participants SET name = ?
                 WHERE scoreboard_id = ? AND participant_id = ? AND NOT removed""" + RETURNING_PARTICIPANT)) {
            p.setString(1, name);
            p.setObject(2, scoreboardId);
            p.setObject(3, participantId);
            return participantAfter(p);
        }
    }

    @Override
    public Optional<ParticipantRow> removeParticipant(UUID scoreboardId, UUID participantId, Instant removedAt)
            throws SQLException {
        try (PreparedStatement p = c.prepareStatement("""
                UPDATE participants SET removed = TRUE, removed_at = ?
                 WHERE scoreboard_id = ? AND participant_id = ? AND NOT removed""" + RETURNING_PARTICIPANT)) {
            p.setTimestamp(1, Timestamp.from(removedAt));
            p.setObject(2, scoreboardId);
            p.setObject(3, participantId);
            return participantAfter(p);
        }
    }

    private static Optional<ParticipantRow> participantAfter(PreparedStatement p) throws SQLException {
        try (ResultSet rs = p.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            Timestamp removedAt = rs.getTimestamp(6);
            return Optional.of(new ParticipantRow(rs.getObject(1, UUID.class), rs.getString(2), rs.getBigDecimal(3),
                    rs.getLong(4), rs.getBoolean(5), removedAt == null ? null : removedAt.toInstant()));
        }
    }

    @Override
    public Optional<Optional<Instant>> participantRemovedAt(UUID scoreboardId, UUID participantId)
            throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT removed_at FROM participants WHERE scoreboard_id = ? AND participant_id = ?")) {
            p.setObject(1, scoreboardId);
            p.setObject(2, participantId);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Timestamp removedAt = rs.getTimestamp(1);
                return Optional.of(Optional.ofNullable(removedAt).map(Timestamp::toInstant));
            }
        }
    }

    @Override
    public void renameBoard(UUID scoreboardId, String name) throws SQLException {
        updateBoard(scoreboardId, "name = ?", name);
    }

    @Override
    public void setRankingRules(UUID scoreboardId, String scoreOrder, String ranking) throws SQLException {
        updateBoard(scoreboardId, "score_order = ?, ranking = ?", scoreOrder, ranking);
    }

    @Override
    public boolean setDeleted(UUID scoreboardId, boolean deleted) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "UPDATE scoreboards SET deleted = ? WHERE scoreboard_id = ? AND deleted = ?")) {
            p.setBoolean(1, deleted);
            p.setObject(2, scoreboardId);
            p.setBoolean(3, !deleted);
            return p.executeUpdate() == 1;
        }
    }

    @Override
    public void advanceBoard(UUID scoreboardId, long sequenceNumber, long position, Instant occurredAt)
            throws SQLException {
        try (PreparedStatement p = c.prepareStatement("""
                UPDATE scoreboards
                   SET version = ?, last_position = GREATEST(last_position, ?), updated_at = ?
                 WHERE scoreboard_id = ?""")) {
            p.setLong(1, sequenceNumber);
            p.setLong(2, position);
            p.setTimestamp(3, Timestamp.from(occurredAt));
            p.setObject(4, scoreboardId);
            p.executeUpdate();
        }
    }

    @Override
    public void recordBoardChange(EventEnvelope e, Long undoesSequenceNumber) throws SQLException {
        // The board's columns are copied from its row: they already hold the event's change.
        try (PreparedStatement p = c.prepareStatement("""
                INSERT INTO board_changes (scoreboard_id, sequence_number, position, occurred_at, event_type, name,
                                           score_order, ranking, deleted, undoes_sequence_number)
                SELECT scoreboard_id, ?, ?, ?, ?, name, score_order, ranking, deleted, ?
                  FROM scoreboards WHERE scoreboard_id = ?""")) {
            p.setLong(1, e.sequenceNumber());
            p.setLong(2, e.position());
            p.setTimestamp(3, Timestamp.from(e.occurredAt()));
            p.setString(4, e.type());
            p.setObject(5, undoesSequenceNumber, java.sql.Types.BIGINT);
            p.setObject(6, e.scoreboardId());
            if (p.executeUpdate() != 1) {
                throw new SQLException("board " + e.scoreboardId() + " has no row to record a change of");
            }
        }
    }

    @Override
    public void recordParticipantChange(ParticipantChangeRow row) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("""
                INSERT INTO participant_changes (scoreboard_id, participant_id, sequence_number, position,
                    occurred_at, event_type, delta, reason, name, score, score_reached_position, removed)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            p.setObject(1, row.scoreboardId());
            p.setObject(2, row.participantId());
            p.setLong(3, row.sequenceNumber());
            p.setLong(4, row.position());
            p.setTimestamp(5, Timestamp.from(row.occurredAt()));
            p.setString(6, row.eventType());
            p.setBigDecimal(7, row.delta());
            p.setString(8, row.reason());
            p.setString(9, row.name());
            p.setBigDecimal(10, row.score());
            p.setLong(11, row.scoreReachedPosition());
            p.setBoolean(12, row.removed());
            p.executeUpdate();
        }
    }

    /** Sets board columns ({@code assignments} with one {@code ?} per value, all text). */
    private void updateBoard(UUID scoreboardId, String assignments, String... values) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "UPDATE scoreboards SET " + assignments + " WHERE scoreboard_id = ?")) {
            int i = 1;
            for (String value : values) {
                p.setString(i++, value);
            }
            p.setObject(i, scoreboardId);
            p.executeUpdate();
        }
    }
}
