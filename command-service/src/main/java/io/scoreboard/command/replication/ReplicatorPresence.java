package io.scoreboard.command.replication;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

/**
 * A replicator's sign of life that PostgreSQL keeps for it: a session advisory lock named after the claim's
 * owner, held on a connection of its own for as long as the replicator runs. PostgreSQL drops the lock the
 * moment that session ends — the process killed (its socket closes), its host gone (TCP keepalives, a few
 * seconds), the connection cut — so another instance may take a claim whose owner shows no presence at once,
 * instead of waiting out claim-timeout (issue 15: a dead replicator replaced within 3 s, not 10).
 *
 * <p>Taking a claim early is safe even when the owner is in fact alive: the claim's row lock still
 * serialises every cycle, and the former owner's next cycle finds the claim gone and stops before it sends.
 * Only owners that carry {@link #OWNER_MARK} keep a presence; any other holder of the row (the operator
 * CLI's republish pause) is judged by its timestamp alone, as before.
 */
final class ReplicatorPresence implements AutoCloseable {

    /** How a replicator's owner name begins; a holder so named keeps a presence. */
    static final String OWNER_MARK = "replicator ";
    /** The first key of every presence lock (the second is the owner's hash): no other lock of ours uses it. */
    static final int LOCK_CLASS = 0x5C0B_0001;
    /** How often a held presence is checked (one round trip): a cut session is noticed within this. */
    private static final Duration CHECK_INTERVAL = Duration.ofSeconds(2);

    private final String owner;
    private final Callable<Connection> connect;
    private Connection session;
    private Instant checkedAt = Instant.EPOCH;

    /** @param connect opens the presence's own connection (never a pooled one: it is held for good) */
    ReplicatorPresence(String owner, Callable<Connection> connect) {
        if (!owner.startsWith(OWNER_MARK)) {
            throw new IllegalArgumentException("a replicator's owner name must begin with '" + OWNER_MARK + "'");
        }
        this.owner = owner;
        this.connect = connect;
    }

    /**
     * Makes sure this replicator's presence is held before it claims (a new session when the last one was
     * lost); checks a held one at most every {@link #CHECK_INTERVAL}.
     */
    void ensureHeld(Instant now) throws SQLException {
        if (session != null && now.isBefore(checkedAt.plus(CHECK_INTERVAL))) {
            return;
        }
        if (session != null) {
            try (PreparedStatement p = session.prepareStatement(HELD)) {
                bind(p, owner);
                try (ResultSet rs = p.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        checkedAt = now;
                        return;
                    }
                }
            } catch (SQLException lost) {
                // the session is gone, and its lock with it: take a new one below
            }
            close();
        }
        Connection c;
        try {
            c = connect.call();
        } catch (SQLException e) {
            throw e;
        } catch (Exception e) {
            throw new SQLException("could not open the replicator's presence connection", e);
        }
        try (PreparedStatement p = c.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
            bind(p, owner);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    // an earlier session of ours the server has not yet seen end: try again next cycle
                    throw new SQLException("the replicator's presence lock is still held by an ending session");
                }
            }
        } catch (SQLException e) {
            closeQuietly(c);
            throw e;
        }
        session = c;
        checkedAt = now;
    }

    /**
     * Within any session: whether {@code holder}, a claim's owner, has shown no sign of life — it is a replicator
     * (so it keeps a presence while it runs) and no session holds its presence lock.
     */
    static boolean isGone(Connection c, String holder) throws SQLException {
        if (holder == null || !holder.startsWith(OWNER_MARK)) {
            return false;
        }
        try (PreparedStatement p = c.prepareStatement(HELD)) {
            bind(p, holder);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() && !rs.getBoolean(1);
            }
        }
    }

    /** Ends the presence (at shutdown; a crash ends it anyway). */
    @Override
    public void close() {
        if (session != null) {
            closeQuietly(session);
            session = null;
        }
    }

    /**
     * pg_locks shows a two-key advisory lock as classid = key 1, objid = key 2, objsubid = 2; advisory locks belong
     * to a database (another event store on the same server has presences of its own).
     */
    private static final String HELD = "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' "
            + "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
            + "AND classid = ?::int4::oid AND objid = ?::int4::oid AND objsubid = 2 AND granted)";

    private static void bind(PreparedStatement p, String owner) throws SQLException {
        p.setInt(1, LOCK_CLASS);
        // non-negative, so its oid is the same number; a collision only makes a dead owner look alive (the timeout applies)
        p.setInt(2, owner.hashCode() & 0x7fff_ffff);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // a presence connection that fails to close is gone already
        }
    }
}
