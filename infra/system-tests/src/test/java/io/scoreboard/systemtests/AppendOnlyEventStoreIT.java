package io.scoreboard.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scoreboard.infra.database.RoleCredentials;
import io.scoreboard.testsupport.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The event table is append-only in PostgreSQL itself, whoever connects. */
class AppendOnlyEventStoreIT {

    private static TestDatabases databases;

    @BeforeAll
    static void createStoreWithOneEvent() throws SQLException {
        databases = TestDatabases.create();
        try (Connection c = connect(databases.appRole()); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, "
                    + "type, time_stamp, payload_type, payload_revision, payload) VALUES ('e1', 'b1', 0, 'Scoreboard', "
                    + "'2026-11-24T00:00:00Z', 'ScoreboardCreated', '1', '{}'::bytea)");
        }
    }

    @AfterAll
    static void drop() {
        if (databases != null) {
            databases.close();
        }
    }

    @ParameterizedTest(name = "as the app role: {0}")
    @ValueSource(strings = {
            "UPDATE domain_event_entry SET payload = '{\"x\":1}'::bytea",
            "DELETE FROM domain_event_entry",
            "TRUNCATE domain_event_entry",
            "DROP TABLE domain_event_entry",
            "ALTER TABLE domain_event_entry DISABLE TRIGGER ALL"})
    void theAppRoleCannotChangeOrRemoveEvents(String sql) throws SQLException {
        try (Connection c = connect(databases.appRole()); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute(sql)).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
        }
        assertThat(eventCount()).isEqualTo(1);
    }

    @ParameterizedTest(name = "as the owner role: {0}")
    @ValueSource(strings = {
            "UPDATE domain_event_entry SET payload = '{\"x\":1}'::bytea",
            "DELETE FROM domain_event_entry",
            "TRUNCATE domain_event_entry"})
    void evenTheOwnerIsStoppedByTheTriggers(String sql) throws SQLException {
        try (Connection c = connect(databases.ownerRole()); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute(sql)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("append-only");
        }
        assertThat(eventCount()).isEqualTo(1);
    }

    @Test
    void theAppRoleCanAppendAndRead() throws SQLException {
        try (Connection c = connect(databases.appRole()); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, "
                    + "type, time_stamp, payload_type, payload_revision, payload) VALUES ('e2', 'b2', 0, 'Scoreboard', "
                    + "'2026-11-24T00:00:00Z', 'ScoreboardCreated', '1', '{}'::bytea)");
        }
        try (Connection c = connect(databases.appRole()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = 'b2'")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(1);
        }
    }

    private static long eventCount() throws SQLException {
        try (Connection c = connect(databases.ownerRole()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = 'b1'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Connection connect(RoleCredentials role) throws SQLException {
        return DriverManager.getConnection(databases.eventsJdbcUrl(), role.user(), role.password());
    }
}
