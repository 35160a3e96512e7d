package io.scoreboard.operator.source;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.EventJson;
import io.scoreboard.startup.EventStoreTables;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.UUID;

/**
 * Reads the event store ({@code domain_event_entry}) as envelopes, in global position order, with a
 * server-side cursor (constant memory at any size).
 *
 * <p>Call {@link #beginSnapshot} first: every read of one command then sees one consistent
 * snapshot. Transactions commit out of position order, so "everything up to the highest position
 * seen" is only true of a snapshot, never of a live tail (ADR 0013: positions commit out of order).
 */
public final class StoredEvents {

    private static final int FETCH_SIZE = 10_000;
    /** In the order {@link #decode} reads them. */
    private static final String COLUMNS = "global_index, event_identifier, aggregate_identifier, sequence_number, "
            + "time_stamp, payload_type, payload_revision, payload";

    private StoredEvents() {}

    /** Starts a read-only REPEATABLE READ transaction: one snapshot for every read that follows. */
    public static void beginSnapshot(Connection c) throws SQLException {
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        c.setReadOnly(true);
        try (Statement s = c.createStatement()) {
            s.execute("SELECT 1"); // takes the snapshot now, not at the first real query
        }
    }

    /** Event count, highest position and board count of the snapshot. */
    public static Summary summary(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), COALESCE(max(global_index), 0), "
                     + "count(DISTINCT aggregate_identifier) FROM " + EventStoreTables.EVENTS)) {
            rs.next();
            return new Summary(rs.getLong(1), rs.getLong(2), rs.getLong(3));
        }
    }

    /** Streams every event with {@code afterPosition < position}, in position order. */
    public static void forEach(Connection c, long afterPosition, EventSink sink) throws SQLException {
        if (c.getAutoCommit()) {
            throw new IllegalStateException("call beginSnapshot first: a cursor needs a transaction");
        }
        try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM " + EventStoreTables.EVENTS + " "
                + "WHERE global_index > ? ORDER BY global_index")) {
            p.setFetchSize(FETCH_SIZE);
            p.setLong(1, afterPosition);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    sink.accept(decode(rs));
                }
            }
        }
    }

    /** One event of the snapshot by its id, or null. */
    public static EventEnvelope byId(Connection c, UUID eventId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM " + EventStoreTables.EVENTS + " "
                + "WHERE event_identifier = ?")) {
            p.setString(1, eventId.toString());
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? decode(rs) : null;
            }
        }
    }

    static EventEnvelope decode(ResultSet rs) throws SQLException {
        long position = rs.getLong(1);
        String type = rs.getString(6);
        String revision = rs.getString(7);
        try {
            return new EventEnvelope(UUID.fromString(rs.getString(2)), UUID.fromString(rs.getString(3)),
                    rs.getLong(4), position, Instant.parse(rs.getString(5)), type,
                    revision == null ? 1 : Integer.parseInt(revision), EventJson.readPayload(type, rs.getBytes(8)));
        } catch (RuntimeException e) {
            throw new UnreadableEventException("the stored event at position " + position + " (" + type
                    + ") cannot be read: " + e.getMessage(), e);
        }
    }

    public record Summary(long events, long lastPosition, long boards) {}

    @FunctionalInterface
    public interface EventSink {
        void accept(EventEnvelope event) throws SQLException;
    }
}
