package io.scoreboard.infra.database;

import io.scoreboard.startup.EnvironmentVariables;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import io.scoreboard.startup.EnvironmentIdentity;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a PostgreSQL server to the shape the services expect: the owner, app and analyst roles, the two
 * databases owned by the owner role, each stamped with the environment it belongs to, and every
 * migration applied as the owner. Idempotent: run it on every start. It creates things and never
 * drops anything, and it refuses a database that belongs to another environment before migrating it.
 */
public final class DatabaseBootstrap {

    private static final Logger log = LoggerFactory.getLogger(DatabaseBootstrap.class);
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final PostgresServer server;
    private final ScoreboardRoles roles;
    private final String environment;

    /** The advisory lock key (in the {@code postgres} database) under which roles are created and altered. */
    private static final long ROLES_LOCK = 0x53424F4C45534CL; // an arbitrary key no other lock of ours uses

    /** @param environment the environment this tool runs for (dev, staging, prod, …) */
    public DatabaseBootstrap(PostgresServer server, ScoreboardRoles roles, String environment) {
        this.server = server;
        this.roles = roles;
        this.environment = EnvironmentIdentity.requireValidName(environment, EnvironmentVariables.ENVIRONMENT);
    }

    /** Roles, databases and migrations for both databases under the given names. */
    public void prepare(String eventsDatabase, String readDatabase) {
        // Before touching anything (roles, passwords, schema): is this our environment at all?
        refuseForeignEnvironment(eventsDatabase);
        refuseForeignEnvironment(readDatabase);
        ensureRoles();
        ensureDatabase(eventsDatabase);
        ensureDatabase(readDatabase);
        limitAnalystTo(readDatabase, eventsDatabase);
        migrate(ScoreboardDatabase.EVENTS, eventsDatabase);
        migrate(ScoreboardDatabase.READ, readDatabase);
    }

    public void ensureRoles() {
        try (Connection c = superuserConnection("postgres"); Statement s = c.createStatement()) {
            lockRoles(c, s);
            List<RoleCredentials> logins = new ArrayList<>(List.of(roles.owner(), roles.app()));
            roles.analyst().ifPresent(logins::add);
            for (RoleCredentials role : logins) {
                // A DO block tolerates a concurrent creator (tests running in parallel JVMs).
                s.execute("DO $$ BEGIN CREATE ROLE " + role.user() + " LOGIN; "
                        + "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$");
                s.execute("ALTER ROLE " + role.user() + " LOGIN PASSWORD '" + role.password() + "'"
                        + " NOSUPERUSER NOCREATEDB NOCREATEROLE");
            }
            if (roles.analyst().isEmpty()) {
                // The read migrations grant to the analyst role, so it must exist. Without a configured
                // password it is made without login, and one that exists is left as it is: an operator
                // may have given it a password by hand.
                s.execute("DO $$ BEGIN CREATE ROLE " + roles.analystRole() + " NOLOGIN; "
                        + "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$");
            }
            c.commit();
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
            // PostgreSQL lets every role use the public schema; only the services need to.
            s.execute("REVOKE ALL ON SCHEMA public FROM PUBLIC");
            s.execute("GRANT USAGE ON SCHEMA public TO " + roles.app().user());
            s.execute("GRANT CONNECT, TEMPORARY ON DATABASE " + name + " TO " + roles.app().user());
        } catch (SQLException e) {
            throw new DatabaseSetupException("cannot secure database " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * The analyst role may connect to the read database, where the read migrations grant it SELECT on
     * the read model, and never to the event store: events are reached through the read model only
     * (docs/adr/0009). Its search path is the read model, so psql users can name views unqualified.
     */
    public void limitAnalystTo(String readDatabase, String eventsDatabase) {
        requireDatabaseName(readDatabase);
        requireDatabaseName(eventsDatabase);
        String analyst = roles.analystRole();
        try (Connection c = superuserConnection("postgres"); Statement s = c.createStatement()) {
            lockRoles(c, s);
            s.execute("REVOKE ALL ON DATABASE " + eventsDatabase + " FROM " + analyst);
            s.execute("GRANT CONNECT ON DATABASE " + readDatabase + " TO " + analyst);
            s.execute("ALTER ROLE " + analyst + " IN DATABASE " + readDatabase + " SET search_path TO "
                    + ReadModelSchema.LIVE);
            c.commit();
        } catch (SQLException e) {
            throw new DatabaseSetupException("cannot set the rights of role " + analyst + " on " + where() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Two processes changing one role at once fail with "tuple concurrently updated" (parallel test JVMs, two
     * tools preparing together): the caller's changes run in one transaction under a server-wide advisory lock.
     */
    private static void lockRoles(Connection c, Statement s) throws SQLException {
        c.setAutoCommit(false);
        s.execute("SELECT pg_advisory_xact_lock(" + ROLES_LOCK + ")");
    }

    /** Reads an existing database's environment (as the superuser) and refuses a foreign one. */
    private void refuseForeignEnvironment(String name) {
        requireDatabaseName(name);
        try (Connection c = superuserConnection("postgres");
             PreparedStatement p = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            p.setString(1, name);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    return; // a new database: it will be stamped with our environment
                }
            }
        } catch (SQLException e) {
            throw new DatabaseSetupException("cannot reach PostgreSQL at " + where() + ": " + e.getMessage(), e);
        }
        try (Connection c = superuserConnection(name)) {
            var recorded = EnvironmentIdentity.recorded(c);
            if (recorded.isPresent()) {
                EnvironmentIdentity.require(c, environment, name + " on " + server.host() + ":" + server.port(),
                        EnvironmentVariables.ENVIRONMENT);
            }
        } catch (SQLException e) {
            throw new DatabaseSetupException("cannot read the environment of database " + name + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Stamps a database that has no environment yet with this bootstrap's environment, then refuses
     * (naming both) if it belongs to another one. Runs before any migration touches the database.
     */
    public void claimEnvironment(String name) {
        requireDatabaseName(name);
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(name), roles.owner().user(),
                roles.owner().password())) {
            if (EnvironmentIdentity.recorded(c).isEmpty()) {
                record(c);
                log.info("database {} now belongs to environment '{}'", name, environment);
            }
            EnvironmentIdentity.require(c, environment, name + " on " + server.host() + ":" + server.port(),
                    EnvironmentVariables.ENVIRONMENT);
        } catch (SQLException e) {
            throw new DatabaseSetupException("cannot read or record the environment of database " + name + ": "
                    + e.getMessage(), e);
        }
    }

    /** One row, never changed: even the owner role has to drop a trigger to alter it. */
    private void record(Connection c) throws SQLException {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement();
             PreparedStatement insert = c.prepareStatement("INSERT INTO " + EnvironmentIdentity.TABLE
                     + " (environment) VALUES (?) ON CONFLICT DO NOTHING")) {
            s.execute("CREATE TABLE IF NOT EXISTS " + EnvironmentIdentity.TABLE + " ("
                    + "singleton BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (singleton), "
                    + "environment VARCHAR(31) NOT NULL, "
                    + "recorded_at TIMESTAMPTZ NOT NULL DEFAULT now())");
            s.execute("CREATE OR REPLACE FUNCTION public.reject_environment_change() RETURNS trigger LANGUAGE plpgsql AS "
                    + "$$ BEGIN RAISE EXCEPTION 'the environment a database belongs to never changes (% refused)', "
                    + "TG_OP USING ERRCODE = 'insufficient_privilege'; END $$");
            s.execute("DROP TRIGGER IF EXISTS environment_identity_immutable ON " + EnvironmentIdentity.TABLE);
            s.execute("CREATE TRIGGER environment_identity_immutable BEFORE UPDATE OR DELETE ON "
                    + EnvironmentIdentity.TABLE + " FOR EACH ROW EXECUTE FUNCTION public.reject_environment_change()");
            s.execute("DROP TRIGGER IF EXISTS environment_identity_no_truncate ON " + EnvironmentIdentity.TABLE);
            s.execute("CREATE TRIGGER environment_identity_no_truncate BEFORE TRUNCATE ON "
                    + EnvironmentIdentity.TABLE + " FOR EACH STATEMENT EXECUTE FUNCTION public.reject_environment_change()");
            s.execute("REVOKE ALL ON " + EnvironmentIdentity.TABLE + " FROM PUBLIC");
            s.execute("GRANT SELECT ON " + EnvironmentIdentity.TABLE + " TO " + roles.app().user());
            insert.setString(1, environment);
            insert.executeUpdate();
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** Applies the database's migrations as the owner role, after the environment check. */
    public MigrateResult migrate(ScoreboardDatabase database, String name) {
        claimEnvironment(name);
        if (database == ScoreboardDatabase.READ) {
            MigrateResult result = ReadModelSchema.migrate(server.jdbcUrl(name), roles.owner(), roles.app().user(),
                    roles.analystRole(), ReadModelSchema.LIVE);
            log.info("database {} ({}): {} migration(s) applied to schema {}, version {}", name, database,
                    result.migrationsExecuted, ReadModelSchema.LIVE, result.targetSchemaVersion);
            return result;
        }
        Flyway flyway = Flyway.configure()
                .dataSource(server.jdbcUrl(name), roles.owner().user(), roles.owner().password())
                .locations(database.migrationLocation())
                .placeholders(java.util.Map.of("app_role", roles.app().user(), "owner_role", roles.owner().user()))
                .failOnMissingLocations(true)
                // A new database already holds environment_identity (stamped before any migration):
                // start its history at version 0 so V1 still runs. A database that has a history is
                // unaffected; one with foreign tables fails loudly in V1.
                .baselineOnMigrate(true)
                .baselineVersion("0")
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
