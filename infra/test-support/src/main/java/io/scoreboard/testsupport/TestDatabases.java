package io.scoreboard.testsupport;

import io.scoreboard.infra.database.DatabaseBootstrap;
import io.scoreboard.infra.database.ReadModelSchema;
import io.scoreboard.infra.database.PostgresServer;
import io.scoreboard.infra.database.RoleCredentials;
import io.scoreboard.infra.database.ScoreboardRoles;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * A fresh pair of databases (event store and read model) for one test class, made exactly as
 * production makes them ({@link DatabaseBootstrap}: roles, ownership, migrations) on
 * {@link TestPostgres#server()}. Names are unique, so test classes and JVMs never share data;
 * {@link #close()} drops these two databases and nothing else.
 *
 * <p>The roles are cluster-wide: every test on a server shares them, with the passwords below.
 */
public final class TestDatabases implements AutoCloseable {

    public static final String OWNER_PASSWORD = "owner-test";
    public static final String APP_PASSWORD = "app-test";
    public static final String ANALYST_PASSWORD = "analyst-test";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] NAME_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    /** The environment test databases belong to; services under test are configured with it. */
    public static final String ENVIRONMENT = "test";

    private final PostgresServer server;
    private final ScoreboardRoles roles;
    private final String environment;
    private final String eventsDatabase;
    private final String readDatabase;

    private TestDatabases(PostgresServer server, ScoreboardRoles roles, String environment, String prefix) {
        this.server = server;
        this.roles = roles;
        this.environment = environment;
        this.eventsDatabase = prefix + "_events";
        this.readDatabase = prefix + "_read";
    }

    /** Creates and migrates both databases, belonging to the {@value #ENVIRONMENT} environment. */
    public static TestDatabases create() {
        return create(ENVIRONMENT);
    }

    /** Creates and migrates both databases, stamped as belonging to {@code environment}. */
    public static TestDatabases create(String environment) {
        TestDatabases databases = new TestDatabases(TestPostgres.server(),
                ScoreboardRoles.withPasswords(OWNER_PASSWORD, APP_PASSWORD, ANALYST_PASSWORD), environment, "sbt_" + randomName(10));
        try {
            databases.prepare();
        } catch (RuntimeException e) {
            databases.close(); // leave no half-made database behind
            throw e;
        }
        return databases;
    }

    public PostgresServer server() {
        return server;
    }

    public ScoreboardRoles roles() {
        return roles;
    }

    public RoleCredentials appRole() {
        return roles.app();
    }

    /** The read-only analyst login (docs/analytics.md). */
    public RoleCredentials analystRole() {
        return roles.analyst().orElseThrow();
    }

    public RoleCredentials ownerRole() {
        return roles.owner();
    }

    public String environment() {
        return environment;
    }

    public String eventsDatabase() {
        return eventsDatabase;
    }

    public String readDatabase() {
        return readDatabase;
    }

    public String eventsJdbcUrl() {
        return server.jdbcUrl(eventsDatabase);
    }

    /** Reads and writes the live read model (its schema is the connection's search_path). */
    public String readJdbcUrl() {
        return server.jdbcUrl(readDatabase) + "?currentSchema=" + ReadModelSchema.LIVE;
    }

    /** Drops the read database, open connections and all, and makes it again: the disaster drill. */
    public void recreateReadDatabase() {
        drop(readDatabase);
        prepare();
    }

    /** Drops the event store, open connections and all, and makes it again empty and migrated: drill 2. */
    public void recreateEventsDatabase() {
        drop(eventsDatabase);
        prepare();
    }

    /** Drops both databases, even with connections still open. */
    @Override
    public void close() {
        drop(eventsDatabase);
        drop(readDatabase);
    }

    private void prepare() {
        new DatabaseBootstrap(server, roles, environment).prepare(eventsDatabase, readDatabase);
    }

    private void drop(String database) {
        try (Connection c = superuserConnection(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop test database " + database + " on " + server.host() + ":"
                    + server.port() + ": " + e.getMessage(), e);
        }
    }

    private Connection superuserConnection() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", server.superuser());
        if (server.superuserPassword() != null) {
            props.setProperty("password", server.superuserPassword());
        }
        return DriverManager.getConnection(server.jdbcUrl("postgres"), props);
    }

    private static String randomName(int length) {
        StringBuilder name = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            name.append(NAME_CHARS[RANDOM.nextInt(NAME_CHARS.length)]);
        }
        return name.toString();
    }
}
