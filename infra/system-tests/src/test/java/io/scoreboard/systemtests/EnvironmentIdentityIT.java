package io.scoreboard.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scoreboard.infra.database.DatabaseBootstrap;
import io.scoreboard.infra.database.RoleCredentials;
import io.scoreboard.infra.localstack.Ports;
import io.scoreboard.infra.localstack.up.ServiceProcess;
import io.scoreboard.startup.EventTopicSettings;
import io.scoreboard.startup.StartupCheckFailedException;
import io.scoreboard.startup.TopicEnvironment;
import io.scoreboard.startup.TopicEnvironmentCheck;
import io.scoreboard.testsupport.TestKafka;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The 2020 incident, prevented: a process configured for {@code dev} pointed at a database that
 * belongs to {@code prod} refuses, names both, and changes nothing; so does a {@code dev} service with
 * its own {@code dev} database pointed at {@code prod}'s topic (ADR 0017).
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
    void devServicesWithDevDatabases_refuseAProdTopic_sendNothing_andLeaveTheTopicAsItWas() throws Exception {
        // prod's topic as prod's first service leaves it: recorded as prod's, holding prod's events.
        String topic = TestKafka.uniqueTopic("prod-events");
        try (Admin admin = admin()) {
            admin.createTopics(List.of(EventTopicSettings.newTopic(topic, 3, (short) 1, 1))).all().get(30, TimeUnit.SECONDS);
        }
        try (TopicEnvironmentCheck identity = TopicEnvironmentCheck.open(prod.bootstrapServers, topic,
                TopicEnvironment.Settings.SERVICE)) {
            identity.claim("prod");
        }
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, prod.bootstrapServers, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(topic, "board-" + i, ("prod event " + i).getBytes())).get(30, TimeUnit.SECONDS);
            }
        }
        String topicBefore = topicState(topic);

        try (RunningSystem dev = RunningSystem.startInfrastructureOnly("EnvironmentIdentityIT-dev", "dev")) {
            // A dev event in dev's store: a dev command service that got as far as replicating would send it.
            storeOneEvent(dev);
            String commandLog = awaitRefusal(dev.launchCommandService("dev-command-service-prod-topic",
                    dev.commandServiceArgs(Ports.findFree(), topic)));
            String group = "dev-query-" + topic;
            String queryLog = awaitRefusal(dev.launchQueryService("dev-query-service-prod-topic",
                    RunningSystem.withOverrides(dev.queryServiceArgs(Ports.findFree(), prod.bootstrapServers),
                            List.of("--scoreboard.kafka.topic=" + topic, "--scoreboard.kafka.consumer-group=" + group))));

            for (String log : List.of(commandLog, queryLog)) {
                assertThat(log).contains("Refusing to use Kafka topic '" + topic + "'")
                        .contains("belongs to environment 'prod'").contains("configured for 'dev'")
                        .contains("Nothing was changed").contains("scoreboard.environment");
            }
            assertThat(topicState(topic)).as("nothing sent, nothing claimed").isEqualTo(topicBefore);
            assertThat(count(dev, dev.databases.eventsJdbcUrl(), "SELECT count(*) FROM token_entry"))
                    .as("the replicator never ran").isZero();
            assertThat(count(dev, dev.databases.readJdbcUrl(), "SELECT count(*) FROM projection_checkpoints")).isZero();
            try (Admin admin = admin()) {
                assertThat(admin.listConsumerGroups().all().get(30, TimeUnit.SECONDS))
                        .extracting(ConsumerGroupListing::groupId).as("no consumer group was created")
                        .doesNotContain(group);
            }
        }
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

    /** End offsets of the topic and of its identity topic: any record sent or claim written changes them. */
    private static String topicState(String topic) throws Exception {
        StringBuilder state = new StringBuilder();
        try (Admin admin = admin()) {
            for (String name : List.of(topic, TopicEnvironment.identityTopic(topic))) {
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                admin.describeTopics(List.of(name)).allTopicNames().get(30, TimeUnit.SECONDS).get(name).partitions()
                        .forEach(p -> latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest()));
                Map<String, Long> ends = new TreeMap<>();
                admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS)
                        .forEach((tp, info) -> ends.put(tp.toString(), info.offset()));
                state.append(ends);
            }
        }
        return state.toString();
    }

    private static void storeOneEvent(RunningSystem system) throws SQLException {
        try (Connection c = DriverManager.getConnection(system.databases.eventsJdbcUrl(),
                system.databases.ownerRole().user(), system.databases.ownerRole().password());
             Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, "
                    + "type, time_stamp, payload_type, payload_revision, payload) VALUES ('" + UUID.randomUUID()
                    + "', '" + UUID.randomUUID() + "', 0, 'Scoreboard', '2026-01-01T00:00:00Z', 'ScoreboardRenamed', "
                    + "'1', '{}')");
        }
    }

    private static long count(RunningSystem system, String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, system.databases.ownerRole().user(),
                system.databases.ownerRole().password()); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, prod.bootstrapServers));
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
