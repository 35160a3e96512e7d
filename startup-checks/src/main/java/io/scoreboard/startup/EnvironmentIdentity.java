package io.scoreboard.startup;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one place that decides whether a process may touch a database: every database records the
 * environment it belongs to ({@code dev}, {@code staging}, {@code prod}, …) when it is first set up,
 * and every service and tool, configured with the environment it expects, refuses a database of
 * another one. The 2020 incident was a development wipe run against production through a wrong
 * setting; with this check it stops before doing anything.
 */
public final class EnvironmentIdentity {

    /**
     * Schema-qualified: the read database's services run with {@code search_path = read_model}, and
     * the identity belongs to the database, not to one (replaceable) read-model schema.
     */
    public static final String TABLE = "public.environment_identity";
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,30}");

    private EnvironmentIdentity() {}

    /** A configured environment name, checked; {@code setting} names where it came from. */
    public static String requireValidName(String environment, String setting) {
        if (environment == null || environment.isBlank()) {
            throw new StartupCheckFailedException("No environment is configured.", setting,
                    "Set it to the environment this process is meant for, e.g. SCOREBOARD_ENVIRONMENT=prod "
                            + "(there is deliberately no default outside the local stack).", null);
        }
        if (!NAME.matcher(environment).matches()) {
            throw new StartupCheckFailedException("The environment '" + environment + "' is not a valid name.",
                    setting, "Use lower-case letters, digits and '-', starting with a letter, e.g. dev, staging, prod.",
                    null);
        }
        return environment;
    }

    /** The environment the database recorded, or empty when it has none (not set up yet). */
    public static Optional<String> recorded(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            if (!tableExists(s)) {
                return Optional.empty();
            }
            try (ResultSet rs = s.executeQuery("SELECT environment FROM " + TABLE)) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /**
     * Refuses, naming both environments and the fix, unless the database belongs to {@code expected}.
     *
     * @param database what the database is, for the message (e.g. "scoreboard_events at jdbc:…")
     * @param setting  the setting that configured {@code expected}
     */
    public static void require(Connection connection, String expected, String database, String setting)
            throws SQLException {
        Optional<String> recorded = recorded(connection);
        if (recorded.isEmpty()) {
            throw new StartupCheckFailedException("The database " + database + " records no environment: it was "
                    + "not set up by this version's DatabaseBootstrap.", setting,
                    "Run the migrations for it as the owner role (./scoreboard up does this locally); they record "
                            + "the environment the database belongs to.", null);
        }
        if (!recorded.get().equals(expected)) {
            throw new StartupCheckFailedException("Refusing to run: the database " + database + " belongs to "
                    + "environment '" + recorded.get() + "', but this process is configured for '" + expected
                    + "'. Nothing was changed.", setting,
                    "If you meant '" + recorded.get() + "', set " + setting + "=" + recorded.get() + "; otherwise "
                            + "point this process at the " + expected + " database.", null);
        }
    }

    private static boolean tableExists(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT to_regclass('" + TABLE + "') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
