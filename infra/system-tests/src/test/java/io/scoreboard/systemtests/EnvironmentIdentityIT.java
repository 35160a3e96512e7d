package io.scoreboard.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scoreboard.infra.database.DatabaseBootstrap;
import io.scoreboard.infra.database.RoleCredentials;
import io.scoreboard.infra.localstack.Ports;
import io.scoreboard.infra.localstack.up.ServiceProcess;
import io.scoreboard.startup.StartupCheckFailedException;
import io.scoreboard.testsupport.TestKafka;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The 2020 incident, prevented: a process configured for {@code dev} pointed at a database that
 * belongs to {@code prod} refuses, names both, and changes nothing.
 */
class EnvironmentIdentityIT {

    private static RunningSystem prod;

    @BeforeAll
    static void aProductionDatabase() {
        prod = RunningSystem.startInfrastructureOnly("EnvironmentIdentityIT", "prod");
    }

    @AfterAll
    static void drop() {
        if (prod != null) {
            prod.close();
        }
    }

    @Test
    void aDevToolRefusesAProdDatabaseBeforeChangingAnything() throws SQLException {
        long migrationsBefore = count(prod.databases.eventsJdbcUrl(), "SELECT count(*) FROM flyway_schema_history");
        DatabaseBootstrap devTool = new DatabaseBootstrap(prod.databases.server(), prod.databases.roles(), "dev");

        assertThatThrownBy(() -> devTool.prepare(prod.databases.eventsDatabase(), prod.databases.readDatabase()))
                .isInstanceOf(StartupCheckFailedException.class)
                .hasMessageContaining("belongs to environment 'prod'")
                .hasMessageContaining("configured for 'dev'")
                .hasMessageContaining("Nothing was changed");

        assertThat(count(prod.databases.eventsJdbcUrl(), "SELECT count(*) FROM flyway_schema_history"))
                .isEqualTo(migrationsBefore);
        assertThat(recordedEnvironment(prod.databases.eventsJdbcUrl())).isEqualTo("prod");
        assertThat(recordedEnvironment(prod.databases.readJdbcUrl())).isEqualTo("prod");
    }

    @Test
    void theRecordedEnvironmentNeverChanges() throws SQLException {
        for (RoleCredentials role : List.of(prod.databases.ownerRole(), prod.databases.appRole())) {
            try (Connection c = DriverManager.getConnection(prod.databases.eventsJdbcUrl(), role.user(), role.password());
                 Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.executeUpdate("UPDATE public.environment_identity SET environment = 'dev'"))
                        .isInstanceOf(SQLException.class);
                assertThatThrownBy(() -> s.executeUpdate("DELETE FROM public.environment_identity"))
                        .isInstanceOf(SQLException.class);
            }
        }
        assertThat(recordedEnvironment(prod.databases.eventsJdbcUrl())).isEqualTo("prod");
    }

    @Test
    void aDevCommandServiceRefusesAProdDatabase_andCreatesNoTopic() throws Exception {
        String topic = TestKafka.uniqueTopic("env");
        List<String> args = new ArrayList<>(prod.commandServiceArgs(Ports.findFree(), topic));
        args.replaceAll(a -> a.startsWith("--scoreboard.environment=") ? "--scoreboard.environment=dev" : a);

        String log = awaitRefusal(prod.launchCommandService("dev-command-service", args));

        assertThat(log).contains("belongs to environment 'prod'").contains("configured for 'dev'")
                .contains("scoreboard.environment");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, prod.bootstrapServers))) {
            assertThat(admin.listTopics().names().get()).doesNotContain(topic);
        }
        assertThat(count(prod.databases.eventsJdbcUrl(), "SELECT count(*) FROM domain_event_entry")).isZero();
        assertThat(count(prod.databases.eventsJdbcUrl(), "SELECT count(*) FROM token_entry")).isZero();
    }

    @Test
    void aServiceWithoutAConfiguredEnvironmentRefusesToStart() throws Exception {
        List<String> args = new ArrayList<>(prod.queryServiceArgs(Ports.findFree(), prod.bootstrapServers));
        args.removeIf(a -> a.startsWith("--scoreboard.environment="));

        String log = awaitRefusal(prod.launchQueryService("no-environment", args));

        assertThat(log).contains("No environment is configured").contains("SCOREBOARD_ENVIRONMENT");
        assertThat(count(prod.databases.readJdbcUrl(), "SELECT count(*) FROM projection_checkpoints")).isZero();
    }

    private static String awaitRefusal(ServiceProcess service) throws InterruptedException {
        try {
            int exit = service.awaitExit(Duration.ofSeconds(90));
            assertThat(exit).as("exit code; log:\n" + service.logTail(60)).isNotIn(0, -1);
            return service.log();
        } finally {
            service.close();
        }
    }

    private static String recordedEnvironment(String url) throws SQLException {
        try (Connection c = owner(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT environment FROM public.environment_identity")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static long count(String url, String sql) throws SQLException {
        try (Connection c = owner(url); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Connection owner(String url) throws SQLException {
        return DriverManager.getConnection(url, prod.databases.ownerRole().user(), prod.databases.ownerRole().password());
    }
}
