package io.scoreboard.projections.scoreboard;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Reads every board of the read model as {@link BoardRow}s, ordered by scoreboard id, through
 * cursors: the history tables first, folded into one {@link HistoryDigest} per board (memory grows
 * with boards, not with history), then every board's tokens and teams, then boards and participants. The tables are
 * unqualified: the
 * connection's search_path chooses the schema (the live read model, a shadow copy, a point-in-time
 * copy).
 */
public final class ReadModelRows {

    private static final int FETCH_SIZE = 10_000;

    private ReadModelRows() {}

    /** Streams the boards; needs a transaction (autocommit off) for the cursor. */
    public static void forEach(Connection c, Consumer<BoardRow> sink) throws SQLException {
        Map<UUID, HistoryDigest> history = historyDigests(c);
        Map<UUID, List<TokenRow>> tokens = tokens(c);
        Map<UUID, List<TeamRow>> teams = teams(c);
        try (PreparedStatement p = c.prepareStatement("""
                SELECT s.scoreboard_id, s.name, s.score_order, s.ranking, s.deleted, s.version, s.last_position,
                       s.created_at, s.updated_at, p.participant_id, p.name, p.score, p.score_reached_position,
                       p.removed, p.removed_at, s.visibility, p.team_id
                  FROM scoreboards s
                  LEFT JOIN participants p ON p.scoreboard_id = s.scoreboard_id
                 ORDER BY s.scoreboard_id, p.participant_id""")) {
            p.setFetchSize(FETCH_SIZE);
            try (ResultSet rs = p.executeQuery()) {
                Pending pending = null;
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    if (pending == null || !pending.id.equals(id)) {
                        if (pending != null) {
                            sink.accept(pending.row());
                        }
                        pending = new Pending(id, rs, history.getOrDefault(id, HistoryDigest.EMPTY),
                                tokens.getOrDefault(id, List.of()), teams.getOrDefault(id, List.of()));
                    }
                    UUID participantId = rs.getObject(10, UUID.class);
                    if (participantId != null) {
                        Timestamp removedAt = rs.getTimestamp(15);
                        pending.participants.add(new ParticipantRow(participantId, rs.getString(11),
                                rs.getBigDecimal(12), rs.getLong(13), rs.getBoolean(14),
                                removedAt == null ? null : removedAt.toInstant(), rs.getObject(17, UUID.class)));
                    }
                }
                if (pending != null) {
                    sink.accept(pending.row());
                }
            }
        }
    }

    /** Every token of every board (a few per board). */
    private static Map<UUID, List<TokenRow>> tokens(Connection c) throws SQLException {
        Map<UUID, List<TokenRow>> tokens = new HashMap<>();
        try (PreparedStatement p = c.prepareStatement("""
                SELECT scoreboard_id, token_id, kind, label, token_hash, issued_at, revoked_at FROM board_tokens""")) {
            p.setFetchSize(FETCH_SIZE);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    Timestamp revokedAt = rs.getTimestamp(7);
                    TokenRow row = new TokenRow(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                            rs.getString(3), rs.getString(4), rs.getString(5), rs.getTimestamp(6).toInstant(),
                            revokedAt == null ? null : revokedAt.toInstant());
                    tokens.computeIfAbsent(row.scoreboardId(), id -> new ArrayList<>()).add(row);
                }
            }
        }
        return tokens;
    }

    /** Every team of every board (none on most boards). */
    private static Map<UUID, List<TeamRow>> teams(Connection c) throws SQLException {
        Map<UUID, List<TeamRow>> teams = new HashMap<>();
        try (PreparedStatement p = c.prepareStatement("SELECT scoreboard_id, team_id, name, removed FROM teams")) {
            p.setFetchSize(FETCH_SIZE);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    teams.computeIfAbsent(rs.getObject(1, UUID.class), id -> new ArrayList<>())
                            .add(new TeamRow(rs.getObject(2, UUID.class), rs.getString(3), rs.getBoolean(4)));
                }
            }
        }
        return teams;
    }

    /** Every history row of every board, as digests. */
    private static Map<UUID, HistoryDigest> historyDigests(Connection c) throws SQLException {
        Map<UUID, HistoryDigest> digests = new HashMap<>();
        try (PreparedStatement p = c.prepareStatement("""
                SELECT scoreboard_id, sequence_number, position, occurred_at, event_type, name, score_order, ranking,
                       deleted, undoes_sequence_number, token_id
                  FROM board_changes""")) {
            p.setFetchSize(FETCH_SIZE);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    BoardChangeRow row = new BoardChangeRow(rs.getObject(1, UUID.class), rs.getLong(2), rs.getLong(3),
                            rs.getTimestamp(4).toInstant(), rs.getString(5), rs.getString(6), rs.getString(7),
                            rs.getString(8), rs.getBoolean(9), rs.getObject(10, Long.class), rs.getObject(11, UUID.class));
                    digests.merge(row.scoreboardId(), HistoryDigest.EMPTY.with(row), HistoryDigest::plus);
                }
            }
        }
        try (PreparedStatement p = c.prepareStatement("""
                SELECT scoreboard_id, participant_id, sequence_number, position, occurred_at, event_type, delta, reason,
                       name, score, score_reached_position, removed, token_id, team_id
                  FROM participant_changes""")) {
            p.setFetchSize(FETCH_SIZE);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    ParticipantChangeRow row = new ParticipantChangeRow(rs.getObject(1, UUID.class),
                            rs.getObject(2, UUID.class), rs.getLong(3), rs.getLong(4), rs.getTimestamp(5).toInstant(),
                            rs.getString(6), rs.getBigDecimal(7), rs.getString(8), rs.getString(9),
                            rs.getBigDecimal(10), rs.getLong(11), rs.getBoolean(12), rs.getObject(13, UUID.class),
                            rs.getObject(14, UUID.class));
                    digests.merge(row.scoreboardId(), HistoryDigest.EMPTY.with(row), HistoryDigest::plus);
                }
            }
        }
        try (PreparedStatement p = c.prepareStatement("""
                SELECT scoreboard_id, team_id, sequence_number, position, occurred_at, event_type, name, removed, token_id
                  FROM team_changes""")) {
            p.setFetchSize(FETCH_SIZE);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    TeamChangeRow row = new TeamChangeRow(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                            rs.getLong(3), rs.getLong(4), rs.getTimestamp(5).toInstant(), rs.getString(6),
                            rs.getString(7), rs.getBoolean(8), rs.getObject(9, UUID.class));
                    digests.merge(row.scoreboardId(), HistoryDigest.EMPTY.with(row), HistoryDigest::plus);
                }
            }
        }
        try (PreparedStatement p = c.prepareStatement(
                "SELECT scoreboard_id, sequence_number, position, line FROM board_events")) {
            p.setFetchSize(FETCH_SIZE);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    BoardEventRow row = new BoardEventRow(rs.getObject(1, UUID.class), rs.getLong(2), rs.getLong(3),
                            rs.getString(4));
                    digests.merge(row.scoreboardId(), HistoryDigest.EMPTY.with(row), HistoryDigest::plus);
                }
            }
        }
        return digests;
    }

    private static final class Pending {
        final UUID id;
        final String name;
        final String scoreOrder;
        final String ranking;
        final String visibility;
        final boolean deleted;
        final long version;
        final long lastPosition;
        final Timestamp createdAt;
        final Timestamp updatedAt;
        final HistoryDigest history;
        final List<TokenRow> tokens;
        final List<TeamRow> teams;
        final List<ParticipantRow> participants = new ArrayList<>();

        Pending(UUID id, ResultSet rs, HistoryDigest history, List<TokenRow> tokens, List<TeamRow> teams)
                throws SQLException {
            this.id = id;
            this.history = history;
            this.tokens = tokens;
            this.teams = teams;
            this.name = rs.getString(2);
            this.scoreOrder = rs.getString(3);
            this.ranking = rs.getString(4);
            this.visibility = rs.getString(16);
            this.deleted = rs.getBoolean(5);
            this.version = rs.getLong(6);
            this.lastPosition = rs.getLong(7);
            this.createdAt = rs.getTimestamp(8);
            this.updatedAt = rs.getTimestamp(9);
        }

        BoardRow row() {
            return new BoardRow(id, name, scoreOrder, ranking, visibility, deleted, version, lastPosition, createdAt.toInstant(),
                    updatedAt.toInstant(), participants, tokens, teams, history);
        }
    }
}
