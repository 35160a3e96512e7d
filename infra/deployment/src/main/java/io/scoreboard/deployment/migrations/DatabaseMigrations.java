package io.scoreboard.deployment.migrations;

import io.scoreboard.infra.database.DatabaseBootstrap;
import io.scoreboard.infra.database.PostgresServer;
import io.scoreboard.infra.database.RoleCredentials;
import io.scoreboard.infra.database.ScoreboardDatabase;
import io.scoreboard.infra.database.ScoreboardRoles;
import io.scoreboard.startup.DatabaseRoles;
import io.scoreboard.startup.EnvironmentVariables;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * What the migrations Job runs (infra/k8s/base/jobs/migrations-job.yaml): on a PostgreSQL whose roles and
 * databases the platform made (CloudNativePG: initdb, managed roles, a Database), and as the owner role only,
 * each database is checked for its environment (stamped when new, refused when another's), migrated, and given
 * the rights DatabaseBootstrap gives it. Creating roles and databases needs a superuser and is not done here:
 * a missing database fails with its name. Reads the operator CLI's variables.
 */
public final class DatabaseMigrations {

    private DatabaseMigrations() {}

    public static void main(String[] args) {
        try {
            run(System.getenv());
        } catch (RuntimeException e) {
            System.err.println("migrations failed: " + e.getMessage());
            System.exit(1);
        }
    }

    static void run(Map<String, String> env) {
        String environment = required(env, EnvironmentVariables.ENVIRONMENT);
        Location events = Location.of(required(env, EnvironmentVariables.EVENTS_URL), EnvironmentVariables.EVENTS_URL);
        Location read = Location.of(required(env, EnvironmentVariables.READ_URL), EnvironmentVariables.READ_URL);
        if (!events.host().equals(read.host()) || events.port() != read.port()) {
            throw new IllegalArgumentException(EnvironmentVariables.EVENTS_URL + " and "
                    + EnvironmentVariables.READ_URL + " name two servers ("
                    + events.host() + ":" + events.port() + ", " + read.host() + ":" + read.port()
                    + "): both databases live on one server");
        }
        String owner = env.getOrDefault(EnvironmentVariables.DB_USER, DatabaseRoles.OWNER);
        String password = required(env, EnvironmentVariables.DB_PASSWORD);
        // The owner stands where the bootstrap expects a superuser: it owns both databases, and nothing run here
        // needs more. The app role's password is never used (migrations only grant to the role by name).
        PostgresServer server = new PostgresServer(events.host(), events.port(), owner, password);
        ScoreboardRoles roles = new ScoreboardRoles(new RoleCredentials(owner, password),
                new RoleCredentials(DatabaseRoles.APP, ""));
        DatabaseBootstrap bootstrap = new DatabaseBootstrap(server, roles, environment);
        // migrate() refuses a database of another environment before it changes anything in it.
        bootstrap.migrate(ScoreboardDatabase.EVENTS, events.database());
        bootstrap.migrate(ScoreboardDatabase.READ, read.database());
        bootstrap.ensureDatabase(events.database());
        bootstrap.ensureDatabase(read.database());
        analystReachesTheReadDatabaseOnly(server, owner, password, events.database(), read.database(),
                roles.analystRole());
    }

    /**
     * DatabaseBootstrap.limitAnalystTo without its per-database search_path, which needs a superuser: the
     * cluster sets the analyst role's search_path when it is created (postInitSQL of the Cluster).
     */
    private static void analystReachesTheReadDatabaseOnly(PostgresServer server, String owner, String password,
                                                          String eventsDatabase, String readDatabase, String analyst) {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(readDatabase), owner, password);
             Statement s = c.createStatement()) {
            s.execute("REVOKE ALL ON DATABASE " + eventsDatabase + " FROM " + analyst);
            s.execute("GRANT CONNECT ON DATABASE " + readDatabase + " TO " + analyst);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot set the rights of role " + analyst + ": " + e.getMessage(), e);
        }
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is not set");
        }
        return value;
    }

    /** Server and database of a jdbc:postgresql://host:port/database URL. */
    record Location(String host, int port, String database) {

        static Location of(String jdbcUrl, String variable) {
            if (!jdbcUrl.startsWith("jdbc:postgresql://")) {
                throw new IllegalArgumentException(variable + " must be a jdbc:postgresql://host:port/database URL, is "
                        + jdbcUrl);
            }
            URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
            String database = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
            if (uri.getHost() == null || database.isEmpty()) {
                throw new IllegalArgumentException(variable + " must name a host and a database, is " + jdbcUrl);
            }
            return new Location(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), database);
        }
    }
}
