package io.scoreboard.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoreboard.infra.localstack.Ports;
import io.scoreboard.infra.localstack.up.ServiceProcess;
import io.scoreboard.testsupport.TestKafka;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A misconfigured service refuses to start, says why, and changes nothing. */
class StartupRefusalIT {

    private static RunningSystem system;

    @BeforeAll
    static void start() {
        // Databases and Kafka only: each test launches its own (failing) command service.
        system = RunningSystem.startInfrastructureOnly("StartupRefusalIT");
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void refusesATopicWithFiniteRetention() throws Exception {
        String topic = TestKafka.uniqueTopic("finite");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, system.bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)
                    .configs(Map.of("retention.ms", "604800000")))).all().get();
        }

        String log = launchAndExpectExit("finite-retention", system.commandServiceArgs(Ports.findFree(), topic));

        assertThat(log).contains("Refusing to replicate to Kafka topic '" + topic + "'")
                .contains("retention.ms is 604800000 (finite)")
                .contains("scoreboard.kafka.topic");
    }

    @Test
    void refusesACompactedTopic() throws Exception {
        String topic = TestKafka.uniqueTopic("compacted");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, system.bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)
                    .configs(Map.of("cleanup.policy", "compact", "retention.ms", "-1")))).all().get();
        }

        String log = launchAndExpectExit("compacted", system.commandServiceArgs(Ports.findFree(), topic));

        assertThat(log).contains("cleanup.policy is 'compact'");
    }

    @Test
    void refusesALostTopicOnceTheReplicatorHadPublishedToIt_namingRepublish() throws Exception {
        // The state a deleted topic leaves: events stored, the replicator's token past them, no topic.
        try (RunningSystem lost = RunningSystem.startInfrastructureOnly("StartupRefusalIT-lost")) {
            try (Connection c = DriverManager.getConnection(lost.databases.eventsJdbcUrl(),
                    lost.databases.ownerRole().user(), lost.databases.ownerRole().password());
                 Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, "
                        + "type, time_stamp, payload_type, payload_revision, payload) VALUES ('" + UUID.randomUUID()
                        + "', '" + UUID.randomUUID() + "', 0, 'Scoreboard', '2026-01-01T00:00:00Z', 'ScoreboardRenamed', "
                        + "'1', '{}')");
                s.executeUpdate("INSERT INTO token_entry (processor_name, segment, token, token_type) VALUES "
                        + "('kafka-replicator', 0, convert_to('{\"index\":1,\"gaps\":[]}', 'UTF8'), "
                        + "'org.axonframework.eventhandling.GapAwareTrackingToken')");
            }
            String topic = TestKafka.uniqueTopic("lost");

            ServiceProcess service = lost.launchCommandService("lost-topic", lost.commandServiceArgs(Ports.findFree(), topic));
            String log = awaitExit(service);

            assertThat(log).contains("Refusing to replicate to Kafka topic '" + topic + "': it does not exist, but the "
                    + "replicator had already published stored events to it").contains("./scoreboard republish");
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, system.bootstrapServers))) {
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).as("no empty topic was created")
                        .doesNotContain(topic);
            }
        }
    }

    @Test
    void refusesAnUnreachableDatabaseNamingTheSetting() throws Exception {
        List<String> args = new ArrayList<>(system.commandServiceArgs(Ports.findFree(), TestKafka.uniqueTopic("nodb")));
        args.replaceAll(a -> a.startsWith("--spring.datasource.url=")
                ? "--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + Ports.findFree() + "/scoreboard_events"
                : a);

        String log = launchAndExpectExit("no-database", args);

        assertThat(log).contains("Cannot connect to the scoreboard_events database").contains("spring.datasource.url");
    }

    @Test
    void refusesAPortThatIsTaken() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            String log = launchAndExpectExit("port-taken",
                    system.commandServiceArgs(taken.getLocalPort(), TestKafka.uniqueTopic("port")));

            assertThat(log).contains("Port " + taken.getLocalPort() + " was already in use");
        }
    }

    @Test
    void theQueryServiceRefusesAnUnreachableKafkaNamingTheSetting() throws Exception {
        String nowhere = "127.0.0.1:" + Ports.findFree();

        ServiceProcess service = system.launchQueryService("query-no-kafka",
                system.queryServiceArgs(Ports.findFree(), nowhere));
        String log = awaitExit(service);

        assertThat(log).contains("Cannot reach Kafka at " + nowhere).contains("scoreboard.kafka.bootstrap-servers");
    }

    private static String launchAndExpectExit(String name, List<String> args) throws InterruptedException {
        return awaitExit(system.launchCommandService(name, args));
    }

    private static String awaitExit(ServiceProcess service) throws InterruptedException {
        try {
            int exit = service.awaitExit(Duration.ofSeconds(90));
            assertThat(exit).as("exit code; log:\n" + service.logTail(60)).isNotIn(0, -1);
            return service.log();
        } finally {
            service.close();
        }
    }
}
