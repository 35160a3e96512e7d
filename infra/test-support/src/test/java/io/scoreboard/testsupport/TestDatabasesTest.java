package io.scoreboard.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoreboard.infra.database.PostgresServer;
import io.scoreboard.infra.database.RoleCredentials;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import io.scoreboard.infra.database.DatabaseBootstrap;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class TestDatabasesTest {

    /** Parallel test JVMs and services starting together alter the same roles: none of them may fail for it. */
    @Test
    void ensureRoles_fromManyConnectionsAtOnce_succeedsForEach() throws Exception {
        try (TestDatabases databases = TestDatabases.create()) {
            DatabaseBootstrap bootstrap = new DatabaseBootstrap(databases.server(), databases.roles(),
                    TestDatabases.ENVIRONMENT);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> runs = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    runs.add(pool.submit(bootstrap::ensureRoles));
                }
                for (Future<?> run : runs) {
                    run.get(); // rethrows "tuple concurrently updated" if the role changes were not serialised
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(currentUser(databases.eventsJdbcUrl(), databases.appRole())).isEqualTo("scoreboard_app");
        }
    }

    @Test
    void create_makesBothDatabases_reachableAsTheAppRole() throws SQLException {
        try (TestDatabases databases = TestDatabases.create()) {
            assertThat(databases.eventsDatabase()).matches("sbt_[a-z0-9]{10}_events");
            assertThat(databases.readDatabase()).isEqualTo(databases.eventsDatabase().replace("_events", "_read"));
            assertThat(currentUser(databases.eventsJdbcUrl(), databases.appRole())).isEqualTo("scoreboard_app");
            assertThat(currentUser(databases.readJdbcUrl(), databases.appRole())).isEqualTo("scoreboard_app");
        }
    }

    @Test
    void close_dropsExactlyItsTwoDatabases_evenWithOpenConnections() throws SQLException {
        TestDatabases kept = TestDatabases.create();
        TestDatabases dropped = TestDatabases.create();
        try (Connection stillOpen = connect(dropped.eventsJdbcUrl(), dropped.appRole())) {
            dropped.close();
        }
        try {
            assertThat(exists(dropped.eventsDatabase())).isFalse();
            assertThat(exists(dropped.readDatabase())).isFalse();
            assertThat(exists(kept.eventsDatabase())).isTrue();
            assertThat(exists(kept.readDatabase())).isTrue();
        } finally {
            kept.close();
        }
    }

    @Test
    void recreateReadDatabase_startsTheReadModelEmpty_andKeepsTheEvents() throws SQLException {
        try (TestDatabases databases = TestDatabases.create()) {
            createMarkerTable(databases.eventsJdbcUrl(), databases.ownerRole());
            createMarkerTable(databases.readJdbcUrl(), databases.ownerRole());

            databases.recreateReadDatabase();

            assertThat(hasMarkerTable(databases.eventsJdbcUrl(), databases.ownerRole())).isTrue();
            assertThat(hasMarkerTable(databases.readJdbcUrl(), databases.ownerRole())).isFalse();
            assertThat(currentUser(databases.readJdbcUrl(), databases.appRole())).isEqualTo("scoreboard_app");
        }
    }

    private static void createMarkerTable(String url, RoleCredentials role) throws SQLException {
        try (Connection c = connect(url, role); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE drill_marker (id int)");
        }
    }

    private static boolean hasMarkerTable(String url, RoleCredentials role) throws SQLException {
        try (Connection c = connect(url, role); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT to_regclass('drill_marker') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static String currentUser(String url, RoleCredentials role) throws SQLException {
        try (Connection c = connect(url, role); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_user")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static boolean exists(String database) throws SQLException {
        PostgresServer server = TestPostgres.server();
        try (Connection c = DriverManager.getConnection(server.jdbcUrl("postgres"), server.superuser(),
                server.superuserPassword());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_database WHERE datname = '" + database + "'")) {
            rs.next();
            return rs.getInt(1) == 1;
        }
    }

    private static Connection connect(String url, RoleCredentials role) throws SQLException {
        return DriverManager.getConnection(url, role.user(), role.password());
    }
}
