package io.scoreboard.startup;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

/**
 * Before a service serves anything: its database is reachable, and migrated far enough that the
 * tables it needs are readable by its role. Services never migrate (their role has no DDL rights).
 */
public final class DatabaseCheck {

    private DatabaseCheck() {}

    /** The setting every service reads its environment from (env var SCOREBOARD_ENVIRONMENT). */
    public static final String ENVIRONMENT_SETTING =
            "scoreboard.environment (" + EnvironmentVariables.ENVIRONMENT + ")";

    /**
     * The database belongs to {@code environment}, or the service refuses to start, naming both,
     * before it has changed anything. Run it before anything else that touches the database or Kafka.
     */
    public static void requireEnvironment(DataSource dataSource, String url, String databaseName, String environment) {
        String expected = EnvironmentIdentity.requireValidName(environment, ENVIRONMENT_SETTING);
        try (Connection connection = connect(dataSource, url, databaseName)) {
            EnvironmentIdentity.require(connection, expected, databaseName + " at " + url, ENVIRONMENT_SETTING);
        } catch (SQLException e) {
            throw new StartupCheckFailedException(
                    "Cannot read the environment of the " + databaseName + " database at " + url + ": "
                            + e.getMessage(),
                    "spring.datasource.url",
                    "Point spring.datasource.url at the " + databaseName + " database, set up by DatabaseBootstrap.",
                    e);
        }
    }

    /**
     * @param databaseName   the database the setting should point at, for the message
     * @param requiredTables tables that must exist and be readable, as {@code table} or
     *                       {@code table(column, column)} when particular columns are needed
     */
    public static void require(DataSource dataSource, String url, String databaseName, List<String> requiredTables) {
        try (Connection connection = connect(dataSource, url, databaseName);
             Statement s = connection.createStatement()) {
            for (String relation : requiredTables) {
                // "table" or "table(column, column)": what this version of the service reads
                int paren = relation.indexOf('(');
                String table = paren < 0 ? relation : relation.substring(0, paren).strip();
                String columns = paren < 0 ? "1" : relation.substring(paren + 1, relation.lastIndexOf(')'));
                try {
                    s.executeQuery("SELECT " + columns + " FROM " + table + " LIMIT 1").close();
                } catch (SQLException e) {
                    throw new StartupCheckFailedException(
                            "The database at " + url + " has no readable " + relation + ": " + e.getMessage()
                                    + ". It is not the " + databaseName + " database, not migrated to this version,"
                                    + " or not granted to this role.",
                            "spring.datasource.url",
                            "Point it at the " + databaseName + " database and run its migrations as the owner role "
                                    + "(./scoreboard up, or io.scoreboard.infra.database.DatabaseBootstrap); connect "
                                    + "as " + DatabaseRoles.APP + " (spring.datasource.username/password).",
                            e);
                }
            }
        } catch (SQLException e) {
            throw new StartupCheckFailedException("Cannot read the " + databaseName + " database at " + url + ": "
                    + e.getMessage(), "spring.datasource.url",
                    "Point spring.datasource.url at the " + databaseName + " database.", e);
        }
    }

    private static Connection connect(DataSource dataSource, String url, String databaseName) {
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            throw new StartupCheckFailedException(
                    "Cannot connect to the " + databaseName + " database at " + url + ": " + e.getMessage(),
                    "spring.datasource.url",
                    "Start PostgreSQL or point spring.datasource.url (and username/password) at the "
                            + databaseName + " database; the local stack (./scoreboard up) does this for you.",
                    e);
        }
    }
}
