package io.scoreboard.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scoreboard.infra.database.PostgresServer;
import io.scoreboard.infra.localstack.DirectoryInUseException;
import io.scoreboard.infra.localstack.EmbeddedPostgres;
import io.scoreboard.infra.localstack.Ports;
import io.scoreboard.infra.localstack.PostgresBinaries;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EmbeddedPostgresTest {

    /** Its own directory: TestPostgres may be running on target/embedded-postgres in this JVM. */
    private static final Path DIR = Path.of("target", "embedded-postgres-lifecycle-test");

    @Test
    void data_survivesStopAndStart_onAnotherPort() throws SQLException {
        String table = "kept_" + UUID.randomUUID().toString().replace("-", "");
        try (EmbeddedPostgres first = EmbeddedPostgres.start(DIR, Ports.findFree(), PostgresBinaries.bundled())) {
            execute(first.server(), "CREATE TABLE " + table + " (note text); INSERT INTO " + table + " VALUES ('kept')");
        }

        int port = Ports.findFree();
        try (EmbeddedPostgres second = EmbeddedPostgres.start(DIR, port, PostgresBinaries.bundled())) {
            assertThat(second.server().port()).isEqualTo(port);
            assertThat(queryString(second.server(), "SELECT note FROM " + table)).isEqualTo("kept");
        }
        assertThat(Ports.isFree(port)).as("no server is left listening after close").isTrue();
    }

    @Test
    void start_failsWithTheFix_whenThePortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> EmbeddedPostgres.start(DIR, taken.getLocalPort(), PostgresBinaries.bundled()))
                    .isInstanceOf(Ports.PortInUseException.class)
                    .hasMessageContaining("embedded PostgreSQL port")
                    .hasMessageContaining(Integer.toString(taken.getLocalPort()))
                    .hasMessageContaining("Fix:");
        }
    }

    @Test
    void start_refusesADirectoryAServerAlreadyUses() {
        try (EmbeddedPostgres running = EmbeddedPostgres.start(DIR, Ports.findFree(), PostgresBinaries.bundled())) {
            assertThatThrownBy(() -> EmbeddedPostgres.start(DIR, Ports.findFree(), PostgresBinaries.bundled()))
                    .isInstanceOf(DirectoryInUseException.class)
                    .hasMessageContaining(running.dataDirectory().getParent().toString());
            assertThat(Ports.isFree(running.port())).as("the first server still runs").isFalse();
        }
    }

    private static void execute(PostgresServer server, String sql) throws SQLException {
        try (Connection c = connect(server); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String queryString(PostgresServer server, String sql) throws SQLException {
        try (Connection c = connect(server); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static Connection connect(PostgresServer server) throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl("postgres"), server.superuser(), server.superuserPassword());
    }
}
