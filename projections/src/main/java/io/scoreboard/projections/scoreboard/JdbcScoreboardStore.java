package io.scoreboard.projections.scoreboard;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.RewoundParticipant;
import io.scoreboard.events.RewoundTeam;
import io.scoreboard.events.ScoreboardCreatedEvent;
import io.scoreboard.projections.QueuedWriteException;
import java.math.BigDecimal;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Function;

/**
 * The live store: the read model's tables ({@code scoreboards}, {@code participants}, {@code teams} and their
 * history {@code board_changes}, {@code participant_changes}, {@code team_changes}; unqualified,
 * so the connection's search_path picks the schema) through the caller's connection and
 * transaction. One instance per transaction; it never commits.
 *
 * <p>Writes that nothing in the transaction reads back are queued and sent as JDBC batches (one round
 * trip for many rows): new participants, history rows and each board's version. A board row is
 * locked once per transaction and its version is then known here. Without this a create at the
 * participant maximum (10,001 events) cost four round trips per event and kept every
 * {@code minPosition} read waiting for seconds. Queued participants are written before any statement
 * that reads or changes participants, and everything before the caller commits ({@link #flush}).
 */
public final class JdbcScoreboardStore implements ScoreboardStore {

    /** Participant changes return the row as it is afterwards (for the history row). */
    private static final String RETURNING_PARTICIPANT =
            " RETURNING participant_id, name, score, score_reached_position, removed, removed_at, team_id";
    private static final String RETURNING_TEAM = " RETURNING team_id, name, removed";
    /** Rows queued per kind before they are sent: bounds memory when a poll holds many large rounds. */
    private static final int MAX_QUEUED = 1_000;

    private final Connection c;
    /** Boards this transaction has locked, at the version it has brought them to. */
    private final Map<UUID, Long> lockedVersions = new HashMap<>();
    private final List<QueuedParticipant> queuedParticipants = new ArrayList<>();
    private final List<ParticipantChangeRow> queuedChanges = new ArrayList<>();
    private final List<TeamChangeRow> queuedTeamChanges = new ArrayList<>();
    private final List<BoardEventRow> queuedEvents = new ArrayList<>();
    private final Map<UUID, QueuedAdvance> queuedAdvances = new LinkedHashMap<>();

    public JdbcScoreboardStore(Connection connection) {
        this.c = connection;
    }

    @Override
    public OptionalLong lockBoardVersion(UUID scoreboardId) throws SQLException {
        Long known = lockedVersions.get(scoreboardId);
        if (known != null) {
            return OptionalLong.of(known); // locked earlier in this transaction: the lock is still held
        }
        // FOR UPDATE: two appliers of one board (a rebalance overlap) serialise on the row.
        try (PreparedStatement p = c.prepareStatement(
                "SELECT version FROM scoreboards WHERE scoreboard_id = ? FOR UPDATE")) {
            p.setObject(1, scoreboardId);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    return OptionalLong.empty();
                }
                lockedVersions.put(scoreboardId, rs.getLong(1));
                return OptionalLong.of(rs.getLong(1));
            }
        }
    }

    @Override
    public void insertBoard(EventEnvelope e, ScoreboardCreatedEvent created) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("""
                INSERT INTO scoreboards (scoreboard_id, name, score_order, ranking, deleted, version,
                                         last_position, created_at, updated_at, visibility)
                VALUES (?, ?, ?, ?, FALSE, ?, ?, ?, ?, ?)""")) {
            p.setObject(1, e.scoreboardId());
            p.setString(2, created.name());
            p.setString(3, created.scoreOrder().name());
            p.setString(4, created.ranking().name());
            p.setLong(5, e.sequenceNumber());
            p.setLong(6, e.position());
            p.setTimestamp(7, Timestamp.from(e.occurredAt()));
            p.setTimestamp(8, Timestamp.from(e.occurredAt()));
            p.setString(9, created.visibilityOrDefault().name());
            p.executeUpdate();
        }
        lockedVersions.put(e.scoreboardId(), e.sequenceNumber()); // the new row is this transaction's
    }

    /** Queued; an id already on the board surfaces when the queue is sent, as the event's failure. */
    @Override
    public Optional<ParticipantRow> insertParticipant(EventEnvelope e, UUID participantId, String name)
            throws SQLException {
        queuedParticipants.add(new QueuedParticipant(e, participantId, name));
        if (queuedParticipants.size() >= MAX_QUEUED) {
            sendQueuedParticipants();
        }
        return Optional.of(new ParticipantRow(participantId, name, BigDecimal.ZERO, e.position(), false, null, null));
    }

    @Override
    public Optional<ParticipantRow> setScore(UUID scoreboardId, UUID participantId, BigDecimal score, long position)
            throws SQLException {
        sendQueuedParticipants();
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
        sendQueuedParticipants();
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
        sendQueuedParticipants();
        try (PreparedStatement p = c.prepareStatement("""
                UPDATE participants SET removed = TRUE, removed_at = ?
                 WHERE scoreboard_id = ? AND participant_id = ? AND NOT removed""" + RETURNING_PARTICIPANT)) {
            p.setTimestamp(1, Timestamp.from(removedAt));
            p.setObject(2, scoreboardId);
            p.setObject(3, participantId);
            return participantAfter(p);
        }
    }

    @Override
    public Optional<ParticipantRow> participant(UUID scoreboardId, UUID participantId) throws SQLException {
        sendQueuedParticipants();
        try (PreparedStatement p = c.prepareStatement("SELECT participant_id, name, score, score_reached_position, "
                + "removed, removed_at, team_id FROM participants WHERE scoreboard_id = ? AND participant_id = ?")) {
            p.setObject(1, scoreboardId);
            p.setObject(2, participantId);
            return participantAfter(p);
        }
    }

    @Override
    public Optional<ParticipantRow> setParticipant(UUID scoreboardId, RewoundParticipant target, Instant at)
            throws SQLException {
        sendQueuedParticipants();
        try (PreparedStatement p = c.prepareStatement("""
                UPDATE participants
                   SET name = ?, score = ?, score_reached_position = ?, removed = ?,
                       removed_at = CASE WHEN ? THEN COALESCE(removed_at, ?) END, team_id = ?
                 WHERE scoreboard_id = ? AND participant_id = ?""" + RETURNING_PARTICIPANT)) {
            p.setString(1, target.name());
            p.setBigDecimal(2, target.score());
            p.setLong(3, target.scoreReachedPosition());
            p.setBoolean(4, target.removed());
            p.setBoolean(5, target.removed());
            p.setTimestamp(6, Timestamp.from(at));
            p.setObject(7, target.teamId());
            p.setObject(8, scoreboardId);
            p.setObject(9, target.participantId());
            return participantAfter(p);
        }
    }

    @Override
    public Optional<ParticipantRow> setParticipantTeam(UUID scoreboardId, UUID participantId, UUID teamId)
            throws SQLException {
        sendQueuedParticipants();
        try (PreparedStatement p = c.prepareStatement("""
                UPDATE participants SET team_id = ?
                 WHERE scoreboard_id = ? AND participant_id = ? AND NOT removed""" + RETURNING_PARTICIPANT)) {
            p.setObject(1, teamId);
            p.setObject(2, scoreboardId);
            p.setObject(3, participantId);
            return participantAfter(p);
        }
    }

    /** One statement for the whole team: a team of thousands is emptied in one round trip. */
    @Override
    public List<ParticipantRow> clearTeam(UUID scoreboardId, UUID teamId) throws SQLException {
        sendQueuedParticipants();
        try (PreparedStatement p = c.prepareStatement("""
                UPDATE participants SET team_id = NULL
                 WHERE scoreboard_id = ? AND team_id = ? AND NOT removed""" + RETURNING_PARTICIPANT)) {
            p.setObject(1, scoreboardId);
            p.setObject(2, teamId);
            return participantsAfter(p);
        }
    }

    @Override
    public List<ParticipantRow> members(UUID scoreboardId, UUID teamId) throws SQLException {
        sendQueuedParticipants();
        try (PreparedStatement p = c.prepareStatement("SELECT participant_id, name, score, score_reached_position, "
                + "removed, removed_at, team_id FROM participants WHERE scoreboard_id = ? AND team_id = ? "
                + "AND NOT removed")) {
            p.setObject(1, scoreboardId);
            p.setObject(2, teamId);
            return participantsAfter(p);
        }
    }

    private static Optional<ParticipantRow> participantAfter(PreparedStatement p) throws SQLException {
        try (ResultSet rs = p.executeQuery()) {
            return rs.next() ? Optional.of(participant(rs)) : Optional.empty();
        }
    }

    private static List<ParticipantRow> participantsAfter(PreparedStatement p) throws SQLException {
        List<ParticipantRow> rows = new ArrayList<>();
        try (ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                rows.add(participant(rs));
            }
        }
        return rows;
    }

    private static ParticipantRow participant(ResultSet rs) throws SQLException {
        Timestamp removedAt = rs.getTimestamp(6);
        return new ParticipantRow(rs.getObject(1, UUID.class), rs.getString(2), rs.getBigDecimal(3), rs.getLong(4),
                rs.getBoolean(5), removedAt == null ? null : removedAt.toInstant(), rs.getObject(7, UUID.class));
    }

    /** Not queued: team events are rare, and a later event of the batch may read the row back. */
    @Override
    public Optional<TeamRow> team(UUID scoreboardId, UUID teamId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT team_id, name, removed FROM teams WHERE scoreboard_id = ? AND team_id = ?")) {
            p.setObject(1, scoreboardId);
            p.setObject(2, teamId);
            return teamAfter(p);
        }
    }

    @Override
    public Optional<TeamRow> insertTeam(UUID scoreboardId, UUID teamId, String name) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("""
                INSERT INTO teams (scoreboard_id, team_id, name, removed) VALUES (?, ?, ?, FALSE)
                ON CONFLICT DO NOTHING""" + RETURNING_TEAM)) {
            p.setObject(1, scoreboardId);
            p.setObject(2, teamId);
            p.setString(3, name);
            return teamAfter(p);
        }
    }

    @Override
    public Optional<TeamRow> renameTeam(UUID scoreboardId, UUID teamId, String name) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "UPDATE teams SET name = ? WHERE scoreboard_id = ? AND team_id = ? AND NOT removed" + RETURNING_TEAM)) {
            p.setString(1, name);
            p.setObject(2, scoreboardId);
            p.setObject(3, teamId);
            return teamAfter(p);
        }
    }

    @Override
    public Optional<TeamRow> removeTeam(UUID scoreboardId, UUID teamId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "UPDATE teams SET removed = TRUE WHERE scoreboard_id = ? AND team_id = ? AND NOT removed"
                        + RETURNING_TEAM)) {
            p.setObject(1, scoreboardId);
            p.setObject(2, teamId);
            return teamAfter(p);
        }
    }

    @Override
    public Optional<TeamRow> setTeam(UUID scoreboardId, RewoundTeam target) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "UPDATE teams SET name = ?, removed = ? WHERE scoreboard_id = ? AND team_id = ?" + RETURNING_TEAM)) {
            p.setString(1, target.name());
            p.setBoolean(2, target.removed());
            p.setObject(3, scoreboardId);
            p.setObject(4, target.teamId());
            return teamAfter(p);
        }
    }

    private static Optional<TeamRow> teamAfter(PreparedStatement p) throws SQLException {
        try (ResultSet rs = p.executeQuery()) {
            return rs.next()
                    ? Optional.of(new TeamRow(rs.getObject(1, UUID.class), rs.getString(2), rs.getBoolean(3)))
                    : Optional.empty();
        }
    }

    @Override
    public Optional<Optional<Instant>> participantRemovedAt(UUID scoreboardId, UUID participantId)
            throws SQLException {
        sendQueuedParticipants();
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

    /** Not queued: tokens come with a board's creation and with rare token events. */
    @Override
    public boolean insertTokens(List<TokenRow> tokens) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("""
                INSERT INTO board_tokens (scoreboard_id, token_id, kind, label, token_hash, issued_at)
                SELECT * FROM unnest(?::uuid[], ?::uuid[], ?::varchar[], ?::text[], ?::varchar[], ?::timestamptz[])
                ON CONFLICT DO NOTHING""")) {
            p.setArray(1, c.createArrayOf("uuid", tokens.stream().map(TokenRow::scoreboardId).toArray()));
            p.setArray(2, c.createArrayOf("uuid", tokens.stream().map(TokenRow::tokenId).toArray()));
            p.setArray(3, c.createArrayOf("varchar", tokens.stream().map(TokenRow::kind).toArray()));
            p.setArray(4, c.createArrayOf("text", tokens.stream().map(TokenRow::label).toArray()));
            p.setArray(5, c.createArrayOf("varchar", tokens.stream().map(TokenRow::tokenHash).toArray()));
            p.setArray(6, c.createArrayOf("timestamptz", tokens.stream().map(t -> Timestamp.from(t.issuedAt())).toArray()));
            return p.executeUpdate() == tokens.size();
        }
    }

    @Override
    public boolean revokeToken(UUID scoreboardId, UUID tokenId, Instant revokedAt) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE board_tokens SET revoked_at = ?"
                + " WHERE scoreboard_id = ? AND token_id = ? AND revoked_at IS NULL")) {
            p.setTimestamp(1, Timestamp.from(revokedAt));
            p.setObject(2, scoreboardId);
            p.setObject(3, tokenId);
            return p.executeUpdate() == 1;
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
    public void setVisibility(UUID scoreboardId, String visibility) throws SQLException {
        updateBoard(scoreboardId, "visibility = ?", visibility);
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

    /** Queued: only the board's last version in the transaction is written. */
    @Override
    public void advanceBoard(UUID scoreboardId, long sequenceNumber, long position, Instant occurredAt) {
        lockedVersions.put(scoreboardId, sequenceNumber);
        queuedAdvances.merge(scoreboardId, new QueuedAdvance(sequenceNumber, position, occurredAt),
                (before, now) -> new QueuedAdvance(now.sequenceNumber(), Math.max(before.position(), now.position()),
                        now.occurredAt()));
    }

    @Override
    public void recordBoardChange(EventEnvelope e, Long undoesSequenceNumber) throws SQLException {
        // The board's columns are copied from its row: they already hold the event's change.
        try (PreparedStatement p = c.prepareStatement("""
                INSERT INTO board_changes (scoreboard_id, sequence_number, position, occurred_at, event_type, name,
                                           score_order, ranking, deleted, undoes_sequence_number, token_id)
                SELECT scoreboard_id, ?, ?, ?, ?, name, score_order, ranking, deleted, ?, ?
                  FROM scoreboards WHERE scoreboard_id = ?""")) {
            p.setLong(1, e.sequenceNumber());
            p.setLong(2, e.position());
            p.setTimestamp(3, Timestamp.from(e.occurredAt()));
            p.setString(4, e.type());
            p.setObject(5, undoesSequenceNumber, java.sql.Types.BIGINT);
            p.setObject(6, e.payload().tokenId());
            p.setObject(7, e.scoreboardId());
            if (p.executeUpdate() != 1) {
                throw new SQLException("board " + e.scoreboardId() + " has no row to record a change of");
            }
        }
    }

    /** Queued: history rows are only ever inserted, never read back by the projection. */
    @Override
    public void recordParticipantChange(ParticipantChangeRow row) throws SQLException {
        queuedChanges.add(row);
        if (queuedChanges.size() >= MAX_QUEUED) {
            sendQueuedChanges();
        }
    }

    /** Queued, as participant changes. */
    @Override
    public void recordTeamChange(TeamChangeRow row) throws SQLException {
        queuedTeamChanges.add(row);
        if (queuedTeamChanges.size() >= MAX_QUEUED) {
            sendQueuedTeamChanges();
        }
    }

    /** Queued: nothing in the projection reads these rows back. */
    @Override
    public void recordEvent(BoardEventRow row) throws SQLException {
        queuedEvents.add(row);
        if (queuedEvents.size() >= MAX_QUEUED) {
            sendQueuedEvents();
        }
    }

    private void sendQueuedEvents() throws SQLException {
        if (queuedEvents.isEmpty()) {
            return;
        }
        List<BoardEventRow> queued = List.copyOf(queuedEvents);
        queuedEvents.clear();
        send("INSERT INTO board_events (scoreboard_id, sequence_number, position, line) VALUES (?, ?, ?, ?)",
                queued, (p, row) -> {
                    p.setObject(1, row.scoreboardId());
                    p.setLong(2, row.sequenceNumber());
                    p.setLong(3, row.position());
                    p.setString(4, row.line());
                }, row -> "the event of scoreboard " + row.scoreboardId() + " at sequence " + row.sequenceNumber()
                        + " (position " + row.position() + ")");
    }

    @Override
    public void flush() throws SQLException {
        sendQueuedParticipants();
        sendQueuedChanges();
        sendQueuedTeamChanges();
        sendQueuedEvents();
        sendQueuedAdvances();
    }

    private void sendQueuedParticipants() throws SQLException {
        if (queuedParticipants.isEmpty()) {
            return;
        }
        List<QueuedParticipant> queued = List.copyOf(queuedParticipants);
        queuedParticipants.clear();
        int[] inserted = send("""
                INSERT INTO participants (scoreboard_id, participant_id, name, score, score_reached_position)
                VALUES (?, ?, ?, 0, ?)
                ON CONFLICT DO NOTHING""", queued, (p, q) -> {
            p.setObject(1, q.event().scoreboardId());
            p.setObject(2, q.participantId());
            p.setString(3, q.name());
            p.setLong(4, q.event().position());
        }, q -> describe(q.event()));
        for (int i = 0; i < inserted.length; i++) {
            if (inserted[i] == Statement.SUCCESS_NO_INFO) {
                // pgjdbc's reWriteBatchedInserts hides per-row counts: a duplicate id would pass unnoticed.
                throw new IllegalStateException("the read database's connection does not report a count per "
                        + "inserted row, so a participant added twice cannot be told. Fix: remove "
                        + "reWriteBatchedInserts from the read database's JDBC URL.");
            }
            if (inserted[i] == 0) { // ON CONFLICT DO NOTHING: the id was on the board already
                throw ScoreboardProjection.participantExists(queued.get(i).event(), queued.get(i).participantId());
            }
        }
    }

    private void sendQueuedChanges() throws SQLException {
        if (queuedChanges.isEmpty()) {
            return;
        }
        List<ParticipantChangeRow> queued = List.copyOf(queuedChanges);
        queuedChanges.clear();
        send("""
                INSERT INTO participant_changes (scoreboard_id, participant_id, sequence_number, position,
                    occurred_at, event_type, delta, reason, name, score, score_reached_position, removed, token_id,
                    team_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", queued, (p, row) -> {
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
            p.setObject(13, row.tokenId());
            p.setObject(14, row.teamId());
        }, row -> "the " + row.eventType() + " event of scoreboard " + row.scoreboardId() + " at sequence "
                + row.sequenceNumber() + " (position " + row.position() + ")");
    }

    private void sendQueuedTeamChanges() throws SQLException {
        if (queuedTeamChanges.isEmpty()) {
            return;
        }
        List<TeamChangeRow> queued = List.copyOf(queuedTeamChanges);
        queuedTeamChanges.clear();
        send("""
                INSERT INTO team_changes (scoreboard_id, team_id, sequence_number, position, occurred_at, event_type,
                                          name, removed, token_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""", queued, (p, row) -> {
            p.setObject(1, row.scoreboardId());
            p.setObject(2, row.teamId());
            p.setLong(3, row.sequenceNumber());
            p.setLong(4, row.position());
            p.setTimestamp(5, Timestamp.from(row.occurredAt()));
            p.setString(6, row.eventType());
            p.setString(7, row.name());
            p.setBoolean(8, row.removed());
            p.setObject(9, row.tokenId());
        }, row -> "the " + row.eventType() + " event of scoreboard " + row.scoreboardId() + " at sequence "
                + row.sequenceNumber() + " (position " + row.position() + ")");
    }

    private void sendQueuedAdvances() throws SQLException {
        if (queuedAdvances.isEmpty()) {
            return;
        }
        List<Map.Entry<UUID, QueuedAdvance>> queued = List.copyOf(queuedAdvances.entrySet());
        queuedAdvances.clear();
        // Every applied event advances its board, so these are exactly the boards this transaction changed.
        BoardChangeNotices.send(c, queued.stream().map(Map.Entry::getKey).toList());
        send("""
                UPDATE scoreboards
                   SET version = ?, last_position = GREATEST(last_position, ?), updated_at = ?
                 WHERE scoreboard_id = ?""", queued, (p, advance) -> {
            p.setLong(1, advance.getValue().sequenceNumber());
            p.setLong(2, advance.getValue().position());
            p.setTimestamp(3, Timestamp.from(advance.getValue().occurredAt()));
            p.setObject(4, advance.getKey());
        }, advance -> "the event of scoreboard " + advance.getKey() + " at sequence "
                + advance.getValue().sequenceNumber());
    }

    /**
     * Sends {@code rows} as one JDBC batch and returns each row's update count. Any failure is reported
     * as the rows' events' ({@link QueuedWriteException}): exactly for one row, as a range for more.
     */
    private <T> int[] send(String sql, List<T> rows, RowBinder<T> binder, Function<T, String> eventOf)
            throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (T row : rows) {
                binder.bind(p, row);
                p.addBatch();
            }
            return p.executeBatch();
        } catch (SQLException e) {
            SQLException cause = e instanceof BatchUpdateException && e.getNextException() != null
                    ? e.getNextException() : e;
            if (rows.size() == 1) {
                throw new QueuedWriteException(eventOf.apply(rows.get(0)), true, cause);
            }
            throw new QueuedWriteException(rows.size() + " rows sent together, from " + eventOf.apply(rows.get(0))
                    + " to " + eventOf.apply(rows.get(rows.size() - 1)), false, cause);
        }
    }

    @FunctionalInterface
    private interface RowBinder<T> {
        void bind(PreparedStatement statement, T row) throws SQLException;
    }

    private static String describe(EventEnvelope e) {
        return "event " + e.eventId() + " (" + e.type() + ", scoreboard " + e.scoreboardId() + ", sequence "
                + e.sequenceNumber() + ", position " + e.position() + ")";
    }

    private record QueuedParticipant(EventEnvelope event, UUID participantId, String name) {}

    private record QueuedAdvance(long sequenceNumber, long position, Instant occurredAt) {}

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
