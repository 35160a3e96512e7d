package io.scoreboard.command.replication;

import io.scoreboard.startup.EventStoreTables;
import io.scoreboard.startup.ReplicatorToken;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * Who replicates, and from where: the row of processor {@value ReplicatorToken#PROCESSOR} in {@code token_entry}
 * (the table and protocol of Axon's JDBC token store, which earlier versions of the replicator used and
 * the operator CLI still speaks). Each replicator cycle locks the row ({@code FOR UPDATE}) in its
 * transaction and keeps the lock until its batch is acknowledged and its position stored, so whoever
 * holds the row lock knows no batch is in flight (republish pauses the replicator that way). A claim
 * whose owner has not refreshed it within the claim timeout is free, and so is one whose owner, a
 * replicator, no longer holds its presence in PostgreSQL ({@link ReplicatorPresence}).
 */
final class ReplicatorClaim {

    /** Axon's DateTimeUtils format, which the CLI parses and writes too. */
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final String owner;
    private final Duration claimTimeout;

    ReplicatorClaim(String owner, Duration claimTimeout) {
        this.owner = owner;
        this.claimTimeout = claimTimeout;
    }

    String owner() {
        return owner;
    }

    /**
     * Within the caller's transaction: locks the row and, when the claim is free or ours, takes it.
     *
     * @return the stored coverage when this instance holds the claim now; empty when another owner does
     */
    Optional<Coverage> claim(Connection c, Instant now) throws SQLException {
        Optional<Holder> row = lockRow(c);
        if (row.isEmpty()) {
            // The first replicator on this store: create the row (a concurrent one may win; then lock theirs).
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + EventStoreTables.TOKENS
                    + " (processor_name, segment, "
                    + "token, token_type, timestamp, owner) VALUES (?, ?, NULL, NULL, ?, NULL) ON CONFLICT DO NOTHING")) {
                insert.setString(1, ReplicatorToken.PROCESSOR);
                insert.setInt(2, ReplicatorToken.SEGMENT);
                insert.setString(3, TIMESTAMP.format(now));
                insert.executeUpdate();
            }
            row = lockRow(c);
        }
        String holder = row.orElseThrow().owner();
        String since = row.get().timestamp();
        byte[] token = row.get().token();
        boolean free = holder == null || holder.equals(owner) || since == null
                || parse(since).plus(claimTimeout).isBefore(now)
                || ReplicatorPresence.isGone(c, holder); // a killed replicator: no need to wait out the timeout
        if (!free) {
            return Optional.empty();
        }
        if (!owner.equals(holder)) {
            refresh(c, now);
        }
        return Optional.of(token == null ? Coverage.NOTHING : Coverage.fromToken(token));
    }

    /** Stores the coverage and keeps the claim fresh (within the transaction holding the row lock). */
    void store(Connection c, Coverage coverage, Instant now) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE " + EventStoreTables.TOKENS
                + " SET token = ?, token_type = ?, "
                + "timestamp = ?, owner = ? WHERE processor_name = ? AND segment = ?")) {
            p.setBytes(1, coverage.toToken());
            p.setString(2, ReplicatorToken.TOKEN_TYPE);
            p.setString(3, TIMESTAMP.format(now));
            p.setString(4, owner);
            p.setString(5, ReplicatorToken.PROCESSOR);
            p.setInt(6, ReplicatorToken.SEGMENT);
            p.executeUpdate();
        }
    }

    /** Renews the claim without moving the position. */
    void refresh(Connection c, Instant now) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE " + EventStoreTables.TOKENS
                + " SET timestamp = ?, owner = ? "
                + "WHERE processor_name = ? AND segment = ?")) {
            p.setString(1, TIMESTAMP.format(now));
            p.setString(2, owner);
            p.setString(3, ReplicatorToken.PROCESSOR);
            p.setInt(4, ReplicatorToken.SEGMENT);
            p.executeUpdate();
        }
    }

    /** Lets the claim go at shutdown, so another instance takes over at once rather than after the timeout. */
    void release(Connection c) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "UPDATE " + EventStoreTables.TOKENS + " SET owner = NULL WHERE processor_name = ? AND owner = ?")) {
            p.setString(1, ReplicatorToken.PROCESSOR);
            p.setString(2, owner);
            p.executeUpdate();
        }
    }

    private record Holder(String owner, String timestamp, byte[] token) {}

    private static Optional<Holder> lockRow(Connection c) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT owner, timestamp, token FROM "
                + EventStoreTables.TOKENS + " "
                + "WHERE processor_name = ? AND segment = ? FOR UPDATE")) {
            p.setString(1, ReplicatorToken.PROCESSOR);
            p.setInt(2, ReplicatorToken.SEGMENT);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(new Holder(rs.getString(1), rs.getString(2), rs.getBytes(3)))
                        : Optional.empty();
            }
        }
    }

    private static Instant parse(String stored) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(stored, Instant::from);
    }
}
