package io.scoreboard.deployment.migrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scoreboard.infra.database.DatabaseBootstrap;
import io.scoreboard.infra.database.PostgresServer;
import io.scoreboard.infra.database.ScoreboardRoles;
import io.scoreboard.startup.DatabaseRoles;
import io.scoreboard.testsupport.TestDatabases;
import io.scoreboard.testsupport.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The migrations Job on a server set up as CloudNativePG sets it up: the roles and both databases exist, owned
 * by the owner role, and the Job connects as the owner only (a real PostgreSQL, TestPostgres).
 */
class DatabaseMigrationsTest {

    private final PostgresServer server = TestPostgres.server();
    private final String prefix = "sbk_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toLowerCase(Locale.ROOT);
    private final String events = prefix + "_events";
    private final String read = prefix + "_read";

    @BeforeEach
    void clusterMadeRolesAndDatabases() throws SQLException {
        // The shared test roles and passwords (TestDatabases), as the operator's managed roles would make them.
        new DatabaseBootstrap(server, ScoreboardRoles.withPasswords(TestDatabases.OWNER_PASSWORD,
                TestDatabases.APP_PASSWORD, TestDatabases.ANALYST_PASSWORD), "test").ensureRoles();
        try (Connection c = superuser("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + events + " OWNER " + DatabaseRoles.OWNER);
            s.execute("CREATE DATABASE " + read + " OWNER " + DatabaseRoles.OWNER);
        }
    }

    @AfterEach
    void dropDatabases() throws SQLException {
        try (Connection c = superuser("postgres"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + events + " WITH (FORCE)");
            s.execute("DROP DATABASE IF EXISTS " + read + " WITH (FORCE)");
        }
    }

    @Test
    void stampsMigratesAndGrantsBothDatabasesAsTheOwner() throws SQLException {
        DatabaseMigrations.run(env("staging"));

        for (String database : new String[] {events, read}) {
            assertThat(single(database, "SELECT environment FROM environment_identity")).isEqualTo("staging");
            assertThat(single(database, "SELECT has_database_privilege('" + DatabaseRoles.APP + "', '"
                    + database + "', 'CONNECT')::text")).isEqualTo("true");
        }
        assertThat(single(events, "SELECT count(*)::text FROM flyway_schema_history WHERE success")).isNotEqualTo("0");
        assertThat(single(read, "SELECT count(*)::text FROM read_model.flyway_schema_history WHERE success")).isNotEqualTo("0");
        assertThat(single(read, "SELECT has_database_privilege('" + DatabaseRoles.ANALYST + "', '" + read
                + "', 'CONNECT')::text")).isEqualTo("true");
        assertThat(single(read, "SELECT has_database_privilege('" + DatabaseRoles.ANALYST + "', '" + events
                + "', 'CONNECT')::text")).isEqualTo("false");
        // The services' role cannot change the schema it was given.
        assertThat(single(events, "SELECT has_schema_privilege('" + DatabaseRoles.APP + "', 'public', 'CREATE')::text"))
                .isEqualTo("false");
    }

    @Test
    void runningAgainChangesNothingAndAnotherEnvironmentIsRefused() throws SQLException {
        DatabaseMigrations.run(env("staging"));
        DatabaseMigrations.run(env("staging"));
        String history = single(events, "SELECT count(*)::text FROM flyway_schema_history");

        assertThatThrownBy(() -> DatabaseMigrations.run(env("prod")))
                .hasMessageContaining("staging").hasMessageContaining("prod");
        assertThat(single(events, "SELECT count(*)::text FROM flyway_schema_history")).isEqualTo(history);
        assertThat(single(events, "SELECT environment FROM environment_identity")).isEqualTo("staging");
    }

    @Test
    void aMissingVariableIsNamed() {
        Map<String, String> env = new java.util.HashMap<>(env("staging"));
        env.remove("SCOREBOARD_READ_URL");
        assertThatThrownBy(() -> DatabaseMigrations.run(env)).hasMessageContaining("SCOREBOARD_READ_URL");
    }

    private Map<String, String> env(String environment) {
        return Map.of("SCOREBOARD_ENVIRONMENT", environment,
                "SCOREBOARD_EVENTS_URL", server.jdbcUrl(events),
                "SCOREBOARD_READ_URL", server.jdbcUrl(read),
                "SCOREBOARD_DB_USER", DatabaseRoles.OWNER,
                "SCOREBOARD_DB_PASSWORD", TestDatabases.OWNER_PASSWORD);
    }

    private String single(String database, String sql) throws SQLException {
        try (Connection c = superuser(database); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    private Connection superuser(String database) throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(database), server.superuser(), server.superuserPassword());
    }
}
