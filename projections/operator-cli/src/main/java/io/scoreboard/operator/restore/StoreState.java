package io.scoreboard.operator.restore;

import io.scoreboard.operator.cli.OperatorException;
import io.scoreboard.startup.EventStoreTables;
import io.scoreboard.startup.ReplicatorToken;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the event store holds before a restore, and whether it may be refilled: its tables exist,
 * it holds no event and no snapshot, and no command service is replicating from it.
 *
 * @param missingTables  event store tables that do not exist (a database that was never migrated)
 * @param events         rows in domain_event_entry
 * @param snapshots      rows in snapshot_event_entry
 * @param claimOwner     who holds the replicator's token according to its row, or null
 * @param claimTimestamp when that owner last renewed the claim (Axon's string), or null
 */
record StoreState(List<String> missingTables, long events, long snapshots, String claimOwner, String claimTimestamp) {

    private static final List<String> TABLES = List.of(EventStoreTables.EVENTS, EventStoreTables.SNAPSHOTS, EventStoreTables.TOKENS);

    static StoreState read(Connection c) throws SQLException {
        List<String> missing = new ArrayList<>();
        try (Statement s = c.createStatement()) {
            for (String table : TABLES) {
                try (ResultSet rs = s.executeQuery("SELECT to_regclass('" + table + "') IS NULL")) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        missing.add(table);
                    }
                }
            }
            if (!missing.isEmpty()) {
                return new StoreState(missing, 0, 0, null, null);
            }
            long events = count(s, EventStoreTables.EVENTS);
            long snapshots = count(s, EventStoreTables.SNAPSHOTS);
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT owner, timestamp FROM " + EventStoreTables.TOKENS
                            + " WHERE processor_name = ? AND owner IS NOT NULL")) {
                p.setString(1, ReplicatorToken.PROCESSOR);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? new StoreState(missing, events, snapshots, rs.getString(1), rs.getString(2))
                            : new StoreState(missing, events, snapshots, null, null);
                }
            }
        }
    }

    /** Refuses, with what to do, unless the store can be refilled; {@code database} names it for messages. */
    void requireRestorable(String database, Instant now) {
        if (!missingTables.isEmpty()) {
            throw OperatorException.refused("the event store " + database + " has no " + String.join(", ", missingTables)
                    + ": it was created but not migrated. Nothing was changed.",
                    "create and migrate it first (DatabaseBootstrap as the owner role: locally './scoreboard up' "
                            + "does it; stop the command service it starts before restoring), then run this again");
        }
        if (events > 0 || snapshots > 0) {
            throw OperatorException.refused("the event store " + database + " is not empty: it holds " + events
                    + " event(s) and " + snapshots + " snapshot(s). A restore only fills an empty store; nothing was "
                    + "changed.", "if the store is intact, there is nothing to restore ('./scoreboard verify' compares "
                    + "it with the topic); to replace it, recreate the database empty and migrated first");
        }
        if (replicatorClaimed(now)) {
            throw OperatorException.refused("a command service is running against " + database + ": '" + claimOwner
                    + "' holds the replicator's claim (renewed " + claimTimestamp + "). Nothing was changed.",
                    "stop the command service(s) first; after a crash, wait " + AxonFormats.CLAIM_TIMEOUT.toSeconds()
                            + " s for the claim to expire");
        }
    }

    /** Axon's rule: a claim with an owner is held until it has not been renewed for the claim timeout. */
    boolean replicatorClaimed(Instant now) {
        if (claimOwner == null) {
            return false;
        }
        try {
            return AxonFormats.parseTimestamp(claimTimestamp).isAfter(now.minus(AxonFormats.CLAIM_TIMEOUT));
        } catch (DateTimeParseException | NullPointerException unreadable) {
            return true; // an owner we cannot date may be alive: never guess that it is not
        }
    }

    private static long count(Statement s, String table) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
