package io.scoreboard.command.replication;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The replicator's own connections to a real PostgreSQL, recording every statement it sends (the SQL of
 * each prepared or plain statement, and COMMIT / ROLLBACK), so a test can tell what an idle replicator costs.
 */
final class StatementLog extends ReplicatorConnections {

    private final List<String> statements = new ArrayList<>();

    StatementLog(String url, String user, String password, ReplicatorSettings settings) {
        super(url, user, password, settings);
    }

    /** Everything sent so far, in order. */
    synchronized List<String> statements() {
        return List.copyOf(statements);
    }

    private synchronized void record(String sql) {
        statements.add(sql);
    }

    @Override
    Connection get() throws SQLException {
        Connection real = super.get();
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                new Recording(real));
    }

    private final class Recording implements InvocationHandler {
        private final Object target;

        Recording(Object target) {
            this.target = target;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "prepareStatement" -> record((String) args[0]);
                case "commit" -> record("COMMIT");
                case "rollback" -> record("ROLLBACK");
                case "execute", "executeQuery", "executeUpdate" -> {
                    if (args != null && args.length > 0 && args[0] instanceof String sql) {
                        record(sql);
                    }
                }
                default -> { }
            }
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (result instanceof Statement statement && !(result instanceof java.sql.PreparedStatement)) {
                return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Statement.class},
                        new Recording(statement));
            }
            return result;
        }
    }
}
