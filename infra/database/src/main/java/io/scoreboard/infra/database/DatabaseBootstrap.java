package io.scoreboard.infra.database;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a PostgreSQL server to the shape the services expect: the owner and app roles, the two
 * databases owned by the owner role, and every migration applied as the owner. Idempotent: run it
 * on every start. It creates things and never drops anything.
 */
public final class DatabaseBootstrap {

    private static final Logger log = LoggerFactory.getLogger(DatabaseBootstrap.class);
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final PostgresServer server;
    private final ScoreboardRoles roles;

    public DatabaseBootstrap(PostgresServer server, ScoreboardRoles roles) {
        this.server = server;
        this.roles = roles;
    }

    /** Roles, databases and migrations for both databases under the given names. */
    public void prepare(String eventsDatabase, String readDatabase) {
        ensureRoles();
        ensureDatabase(eventsDatabase);
        ensureDatabase(readDatabase);
        migrate(ScoreboardDatabase.EVENTS, eventsDatabase);
        migrate(ScoreboardDatabase.READ, readDatabase);
    }

    public void ensureRoles() {
        try (Connection c = superuserConnection("postgres"); Statement s = c.createStatement()) {
            for (RoleCredentials role : new RoleCredentials[] {roles.owner(), roles.app()}) {
                // A DO block tolerates a concurrent creator (tests running in parallel JVMs).
                s.execute("DO $$ BEGIN CREATE ROLE " + role.user() + " LOGIN; "
                        + "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$");
                s.execute("ALTER ROLE " + role.user() + " LOGIN PASSWORD '" + role.password() + "'"
                        + " NOSUPERUSER NOCREATEDB NOCREATEROLE");
            }
        } catch (SQLException e) {
            throw new DatabaseSetupException("cannot create the roles on " + where() + ": " + e.getMessage()
                    + ". Fix: connect as a superuser (or a role with CREATEROLE).", e);
        }
    }

    public void ensureDatabase(String name) {
        requireDatabaseName(name);
        try (Connection c = superuserConnection("postgres")) {
            boolean exists;
            try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                p.setString(1, name);
                try (ResultSet rs = p.executeQuery()) {
                    exists = rs.next();
                }
            }
            if (!exists) {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE DATABASE " + name + " OWNER " + roles.owner().user()
                            + " ENCODING 'UTF8' TEMPLATE template0");
                    log.info("created database {} owned by {}", name, roles.owner().user());
                } catch (SQLException e) {
                    if (!"42P04".equals(e.getSQLState())) { // duplicate_database: a concurrent creator won
                        throw e;
                    }
                }
            }
        } catch (SQLException e) {
            throw new DatabaseSetupException("cannot create database " + name + " on " + where() + ": "
                    + e.getMessage(), e);
        }
        // The owner role owns the public schema and nobody else may create objects in it.
        try (Connection c = superuserConnection(name); Statement s = c.createStatement()) {
            s.execute("ALTER SCHEMA public OWNER TO " + roles.owner().user());
            s.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
            s.execute("REVOKE ALL ON DATABASE " + name + " FROM PUBLIC");
            s.execute("GRANT CONNECT, TEMPORARY ON DATABASE " + name + " TO " + roles.app().user());
        } catch (SQLException e) {
            throw new DatabaseSetupException("cannot secure database " + name + ": " + e.getMessage(), e);
        }
    }

    /** Applies the database's migrations as the owner role. */
    public MigrateResult migrate(ScoreboardDatabase database, String name) {
        requireDatabaseName(name);
        Flyway flyway = Flyway.configure()
                .dataSource(server.jdbcUrl(name), roles.owner().user(), roles.owner().password())
                .locations(database.migrationLocation())
                .placeholders(java.util.Map.of("app_role", roles.app().user(), "owner_role", roles.owner().user()))
                .failOnMissingLocations(true)
                .load();
        MigrateResult result = flyway.migrate();
        var current = flyway.info().current();
        log.info("database {} ({}): {} migration(s) applied, schema version {}", name, database,
                result.migrationsExecuted, current == null ? "none" : current.getVersion());
        return result;
    }

    private Connection superuserConnection(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", server.superuser());
        if (server.superuserPassword() != null) {
            props.setProperty("password", server.superuserPassword());
        }
        props.setProperty("connectTimeout", "10");
        return DriverManager.getConnection(server.jdbcUrl(database), props);
    }

    private String where() {
        return server.host() + ":" + server.port() + " as " + server.superuser();
    }

    private static void requireDatabaseName(String name) {
        if (name == null || !DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("database name '" + name + "' must match " + DATABASE_NAME.pattern());
        }
    }

    /** Set-up failed; the message names what and how to fix it. */
    public static final class DatabaseSetupException extends RuntimeException {
        public DatabaseSetupException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
