package io.scoreboard.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.scoreboard.operator.source.EventTopicAdmin;
import io.scoreboard.testsupport.TestDatabases;
import io.scoreboard.testsupport.TestKafka;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The classifier on exceptions real servers throw: what PostgreSQL and Kafka say when they are down,
 * busy or in a conflict is waited out; what they say about a wrong setting or bad data is not.
 */
class TransientFaultsTest {

    private static TestDatabases databases;

    @BeforeAll
    static void databases() {
        databases = TestDatabases.create();
    }

    @AfterAll
    static void drop() {
        if (databases != null) {
            databases.close();
        }
    }

    @Test
    void postgresRefusingConnections_isTransient_asPostgres() throws Exception {
        Throwable refused = catchThrowable(() -> connect("jdbc:postgresql://127.0.0.1:" + freePort() + "/any",
                databases.ownerRole().password()));

        assertThat(TransientFaults.classify(refused)).hasValueSatisfying(f -> {
            assertThat(f.server()).isEqualTo(TransientFaults.Server.POSTGRESQL);
            assertThat(f.reason()).contains("08001");
        });
    }

    @Test
    void aConnectionTheServerTerminated_isTransient() throws Exception {
        try (Connection victim = owner(); Connection admin = owner()) {
            int pid;
            try (Statement s = victim.createStatement(); var rs = s.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                pid = rs.getInt(1);
            }
            try (Statement s = admin.createStatement()) {
                s.execute("SELECT pg_terminate_backend(" + pid + ")");
            }
            Throwable terminated = catchThrowable(() -> {
                try (Statement s = victim.createStatement()) {
                    s.execute("SELECT 1");
                }
            });

            assertThat(terminated).isInstanceOf(SQLException.class);
            assertThat(((SQLException) terminated).getSQLState()).matches("57P01|08.*");
            assertThat(TransientFaults.isTransient(terminated)).isTrue();
            // and what follows on that connection: it is closed
            assertThat(TransientFaults.isTransient(catchThrowable(() -> victim.createStatement().execute("SELECT 1"))))
                    .isTrue();
        }
    }

    @Test
    void statementTimeout_lockTimeout_andDeadlock_areTransient() throws Exception {
        try (Connection c = owner(); Statement s = c.createStatement()) {
            s.execute("SET statement_timeout = '50ms'");
            SQLException timedOut = (SQLException) catchThrowable(() -> s.execute("SELECT pg_sleep(5)"));
            assertThat(timedOut.getSQLState()).isEqualTo("57014");
            assertThat(TransientFaults.isTransient(timedOut)).isTrue();
        }
        try (Connection holder = owner(); Connection waiter = owner()) {
            holder.setAutoCommit(false);
            waiter.setAutoCommit(false);
            try (Statement h = holder.createStatement(); Statement w = waiter.createStatement()) {
                h.execute("LOCK TABLE domain_event_entry IN EXCLUSIVE MODE");
                w.execute("SET LOCAL lock_timeout = '50ms'");
                SQLException locked = (SQLException) catchThrowable(
                        () -> w.execute("LOCK TABLE domain_event_entry IN EXCLUSIVE MODE"));
                assertThat(locked.getSQLState()).isEqualTo("55P03");
                assertThat(TransientFaults.isTransient(locked)).isTrue();
            }
            holder.rollback();
            waiter.rollback();
        }
        assertThat(TransientFaults.isTransient(new SQLException("deadlock detected", "40P01"))).isTrue();
        assertThat(TransientFaults.isTransient(new SQLException("could not serialize access", "40001"))).isTrue();
    }

    @Test
    void unknownRole_missingDatabase_missingTable_andBadData_areAnswers() throws Exception {
        // A role the server does not know (a wrong password answers alike where passwords are asked for).
        Throwable unknownRole = catchThrowable(() -> connect(databases.eventsJdbcUrl(), "no_such_role", "x"));
        assertThat(((SQLException) unknownRole).getSQLState()).startsWith("28");
        assertThat(TransientFaults.isTransient(unknownRole)).isFalse();

        Throwable noDatabase = catchThrowable(() -> connect(databases.eventsJdbcUrl() + "_gone",
                databases.ownerRole().password()));
        assertThat(((SQLException) noDatabase).getSQLState()).isEqualTo("3D000");
        assertThat(TransientFaults.isTransient(noDatabase)).isFalse();

        try (Connection c = owner(); Statement s = c.createStatement()) {
            Throwable noTable = catchThrowable(() -> s.execute("SELECT * FROM no_such_table"));
            assertThat(TransientFaults.isTransient(noTable)).isFalse();
            Throwable badData = catchThrowable(() -> s.execute("SELECT 'x'::int"));
            assertThat(TransientFaults.isTransient(badData)).isFalse();
        }
    }

    @Test
    void aMistypedHost_isAnAnswer() {
        Throwable unknownHost = catchThrowable(() -> connect("jdbc:postgresql://no-such-host.invalid:5432/any", "x"));

        assertThat(TransientFaults.isTransient(unknownHost)).isFalse();
    }

    @Test
    void kafkaNotAnswering_isTransient_asKafka() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + freePort(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 500, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 1000))) {
            Throwable timedOut = catchThrowable(() -> admin.describeCluster().nodes().get(10, TimeUnit.SECONDS));

            assertThat(timedOut).isInstanceOf(ExecutionException.class);
            assertThat(TransientFaults.classify(timedOut)).hasValueSatisfying(
                    f -> assertThat(f.server()).isEqualTo(TransientFaults.Server.KAFKA));
        }
        // The CLI's own wrapping of it (exit 4, "cannot read or create topic") is looked through.
        try (EventTopicAdmin topic = new EventTopicAdmin("127.0.0.1:" + freePort(), "any", Duration.ofSeconds(1), null)) {
            Throwable unreachable = catchThrowable(topic::describe);
            assertThat(unreachable).isInstanceOf(OperatorException.class);
            assertThat(TransientFaults.isTransient(unreachable)).isTrue();
        }
    }

    @Test
    void aTopicThatDoesNotExist_isAnAnswer() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            Throwable missing = catchThrowable(() -> admin.describeTopics(List.of(TestKafka.uniqueTopic("missing")))
                    .allTopicNames().get(30, TimeUnit.SECONDS));

            assertThat(TransientFaults.isTransient(missing)).isFalse();
        }
    }

    @Test
    void refusals_areNeverWaitedOut_whateverCausedThem() {
        OperatorException refused = new OperatorException(ExitCode.REFUSED, "another environment", "fix",
                new SQLException("connection refused", "08001"));

        assertThat(TransientFaults.isTransient(refused)).isFalse();
        assertThat(TransientFaults.isTransient(OperatorException.unreachable("down", "fix",
                new SQLException("connection refused", "08001")))).isTrue();
    }

    private static Connection owner() throws SQLException {
        return connect(databases.eventsJdbcUrl(), databases.ownerRole().password());
    }

    private static Connection connect(String url, String password) throws SQLException {
        return connect(url, databases.ownerRole().user(), password);
    }

    private static Connection connect(String url, String user, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", "5");
        return DriverManager.getConnection(url, props);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
