package io.scoreboard.projections.scoreboard;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Reads every board of the read model as {@link BoardRow}s, ordered by scoreboard id, with one
 * cursor (constant memory). The tables are unqualified: the connection's search_path chooses the
 * schema (the live read model, a shadow copy, a point-in-time copy).
 */
public final class ReadModelRows {

    private static final int FETCH_SIZE = 10_000;

    private ReadModelRows() {}

    /** Streams the boards; needs a transaction (autocommit off) for the cursor. */
    public static void forEach(Connection c, Consumer<BoardRow> sink) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("""
                SELECT s.scoreboard_id, s.name, s.score_order, s.ranking, s.deleted, s.version, s.last_position,
                       s.created_at, s.updated_at, p.participant_id, p.name, p.score, p.score_reached_position,
                       p.removed, p.removed_at
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
                        pending = new Pending(id, rs);
                    }
                    UUID participantId = rs.getObject(10, UUID.class);
                    if (participantId != null) {
                        Timestamp removedAt = rs.getTimestamp(15);
                        pending.participants.add(new ParticipantRow(participantId, rs.getString(11),
                                rs.getBigDecimal(12), rs.getLong(13), rs.getBoolean(14),
                                removedAt == null ? null : removedAt.toInstant()));
                    }
                }
                if (pending != null) {
                    sink.accept(pending.row());
                }
            }
        }
    }

    private static final class Pending {
        final UUID id;
        final String name;
        final String scoreOrder;
        final String ranking;
        final boolean deleted;
        final long version;
        final long lastPosition;
        final Timestamp createdAt;
        final Timestamp updatedAt;
        final List<ParticipantRow> participants = new ArrayList<>();

        Pending(UUID id, ResultSet rs) throws SQLException {
            this.id = id;
            this.name = rs.getString(2);
            this.scoreOrder = rs.getString(3);
            this.ranking = rs.getString(4);
            this.deleted = rs.getBoolean(5);
            this.version = rs.getLong(6);
            this.lastPosition = rs.getLong(7);
            this.createdAt = rs.getTimestamp(8);
            this.updatedAt = rs.getTimestamp(9);
        }

        BoardRow row() {
            return new BoardRow(id, name, scoreOrder, ranking, deleted, version, lastPosition, createdAt.toInstant(),
                    updatedAt.toInstant(), participants);
        }
    }
}
