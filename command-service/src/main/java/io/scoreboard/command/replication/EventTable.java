package io.scoreboard.command.replication;

import io.scoreboard.startup.EventStoreTables;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The replicator's reads of the event table, on its own connection. One statement reads both the
 * gaps and what lies above the head, so both come from one snapshot: a board's later event can never
 * be read before an earlier one that committed first.
 */
final class EventTable {

    /**
     * How far above the head one read looks. Every position it passes without a row becomes a gap, so
     * this bounds the gaps one read can add (8 bytes each) even when the positions jump (a restore's setval).
     */
    static final long MAX_SPAN = 100_000;

    private static final String TABLE = EventStoreTables.EVENTS;
    private static final String COLUMNS = "global_index, event_identifier, aggregate_identifier, sequence_number, "
            + "time_stamp, payload_type, payload";
    /**
     * Rows in position order, cut at {@code limit} rows or when the payloads so far exceed the byte budget
     * (octet_length of a bytea reads its size without de-toasting it). The gaps and the span above the head
     * are two index scans joined in one statement: one snapshot, and no scan of the positions in between
     * (an OR of both conditions would walk the index from the lowest gap).
     */
    private static final String READ = "SELECT " + COLUMNS + " FROM ("
            + "  SELECT " + COLUMNS + ", sum(octet_length(payload)) OVER (ORDER BY global_index) - octet_length(payload)"
            + "         AS before FROM ("
            + "    SELECT " + COLUMNS + " FROM " + TABLE + " WHERE global_index = ANY (?)"
            + "    UNION ALL"
            + "    (SELECT " + COLUMNS + " FROM " + TABLE + " WHERE global_index > ? AND global_index <= ?"
            + "     ORDER BY global_index LIMIT ?)"
            + "  ) candidates ORDER BY global_index LIMIT ?) rows WHERE before < ? ORDER BY global_index";
    /** Transactions that may still take positions or commit rows: whoever holds the table's ROW EXCLUSIVE lock. */
    private static final String WRITERS = "SELECT virtualtransaction FROM pg_locks "
            + "WHERE locktype = 'relation' AND mode = 'RowExclusiveLock' AND granted "
            + "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
            + "AND relation = '" + TABLE + "'::regclass AND pid <> pg_backend_pid()";
    /**
     * Ordered and limited so that every plan is an index probe: planned for any position (a generic plan, as a
     * prepared statement run 20 times a second gets), {@code EXISTS (… WHERE global_index > ?)} became a
     * sequential scan of the whole table (18.6 ms and 5,785 buffers per peek at 45 MB, growing with the table).
     */
    static final String ANY_ABOVE = "SELECT global_index FROM " + TABLE + " WHERE global_index > ? ORDER BY global_index LIMIT 1";

    /** One stored event as the replicator publishes it. */
    record Row(long position, UUID eventId, UUID scoreboardId, long sequenceNumber, Instant occurredAt,
               String type, byte[] payload) {}

    /**
     * What one read found, how far it decided, up to which position it looked at the gaps (a read cut short
     * looked no further than its last row), and whether more is waiting (read again at once).
     */
    record Read(List<Row> rows, long newHead, long examinedUpTo, boolean more) {
        long[] positions() {
            return rows.stream().mapToLong(Row::position).toArray();
        }
    }

    private EventTable() {}

    static Read read(Connection c, long head, long[] gaps, int limit, long byteBudget) throws SQLException {
        List<Row> rows = new ArrayList<>();
        long upTo = head + MAX_SPAN;
        try (PreparedStatement p = c.prepareStatement(READ)) {
            Array gapArray = c.createArrayOf("bigint", java.util.Arrays.stream(gaps).boxed().toArray());
            p.setArray(1, gapArray);
            p.setLong(2, head);
            p.setLong(3, upTo);
            p.setInt(4, limit);
            p.setInt(5, limit);
            p.setLong(6, byteBudget);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getLong(1), UUID.fromString(rs.getString(2)), UUID.fromString(rs.getString(3)),
                            rs.getLong(4), Instant.parse(rs.getString(5)), rs.getString(6), rs.getBytes(7)));
                }
            }
            gapArray.free();
        }
        long highest = rows.isEmpty() ? head : Math.max(head, rows.get(rows.size() - 1).position());
        boolean cut = cut(rows, limit, byteBudget);
        long newHead;
        if (highest > head) {
            // Every visible row up to the highest one read was read (position order); beyond it the next read goes on.
            newHead = highest;
        } else if (!cut && anyAbove(c, upTo)) {
            // Nothing visible in the whole span but rows above it: the span is passed, its positions become gaps.
            newHead = upTo;
        } else {
            newHead = head;
        }
        long examinedUpTo = cut ? rows.get(rows.size() - 1).position() : Long.MAX_VALUE;
        return new Read(rows, newHead, examinedUpTo, cut || newHead == upTo);
    }

    private static boolean cut(List<Row> rows, int limit, long byteBudget) {
        if (rows.size() >= limit) {
            return true;
        }
        long bytes = 0;
        for (Row row : rows) {
            bytes += row.payload().length;
        }
        return bytes >= byteBudget;
    }

    static Set<String> writers(Connection c) throws SQLException {
        Set<String> writers = new HashSet<>();
        try (PreparedStatement p = c.prepareStatement(WRITERS); ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                writers.add(rs.getString(1));
            }
        }
        return writers;
    }

    /** Whether a committed row lies above {@code position}: one index probe, the idle replicator's whole poll. */
    static boolean anyAbove(Connection c, long position) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(ANY_ABOVE)) {
            p.setLong(1, position);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        }
    }
}
