package io.scoreboard.command.replication;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

/**
 * A replicator's connections that can die as a killed process's do: {@link #kill()} ends every PostgreSQL
 * session they opened (as the server sees a SIGKILLed client's sockets close) and refuses new ones, so the
 * replicator behind them renews nothing and holds nothing from then on.
 */
final class KillableConnections extends ReplicatorConnections {

    private final String url;
    private final String user;
    private final String password;
    private final Set<Integer> sessions = new HashSet<>();
    private volatile boolean killed;

    KillableConnections(String url, String user, String password, ReplicatorSettings settings) {
        super(url, user, password, settings);
        this.url = url;
        this.user = user;
        this.password = password;
    }

    @Override
    Connection get() throws SQLException {
        return remembered(super.get());
    }

    @Override
    Connection presenceSession() throws SQLException {
        return remembered(super.presenceSession());
    }

    /** Ends every session these connections opened; no new one opens. */
    void kill() throws SQLException {
        killed = true;
        try (Connection c = DriverManager.getConnection(url, user, password);
             PreparedStatement p = c.prepareStatement("SELECT pg_terminate_backend(?)")) {
            for (int pid : pids()) {
                p.setInt(1, pid);
                p.execute();
            }
        }
    }

    private Connection remembered(Connection c) throws SQLException {
        if (killed) {
            c.close();
            throw new SQLException("the process is dead (killed by the test)");
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            synchronized (sessions) {
                sessions.add(rs.getInt(1));
            }
        }
        return c;
    }

    private Set<Integer> pids() {
        synchronized (sessions) {
            return Set.copyOf(sessions);
        }
    }
}
