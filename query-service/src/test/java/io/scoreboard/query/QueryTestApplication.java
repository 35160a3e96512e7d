package io.scoreboard.query;

import io.scoreboard.testsupport.TestDatabases;
import io.scoreboard.testsupport.TestKafka;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * What one test class runs the query service against: its own read database (made by
 * DatabaseBootstrap as in production, reached as the app role) and its own topic and consumer group
 * on the shared test broker.
 */
public final class QueryTestApplication implements AutoCloseable {

    private final TestDatabases databases = TestDatabases.create();
    private final EventTopic topic;

    public QueryTestApplication(String prefix) {
        this.topic = new EventTopic(prefix);
    }

    public QueryTestApplication createTopic() {
        topic.create();
        return this;
    }

    public EventTopic topic() {
        return topic;
    }

    public TestDatabases databases() {
        return databases;
    }

    public Map<String, String> properties() {
        return Map.of(
                "spring.datasource.url", databases.readJdbcUrl(),
                "spring.datasource.username", databases.appRole().user(),
                "spring.datasource.password", databases.appRole().password(),
                "scoreboard.kafka.bootstrap-servers", TestKafka.bootstrapServers(),
                "scoreboard.kafka.topic", topic.name(),
                "scoreboard.kafka.consumer-group", topic.name() + "-query",
                "scoreboard.environment", databases.environment(),
                // the query tests read in bursts; the limits have their own test (QueryHttpEdgeIntegrationTest)
                "scoreboard.rate-limits.enabled", "false");
    }

    /**
     * {@link #properties()} without the switch that turns the rate limits off: for the tests of the limits,
     * which then set what they need (e.g. 127.0.0.1 as a trusted proxy).
     */
    public void registerWithoutTheRateLimitSwitch(DynamicPropertyRegistry registry) {
        properties().forEach((key, value) -> {
            if (!key.equals("scoreboard.rate-limits.enabled")) {
                registry.add(key, () -> value);
            }
        });
    }

    /** Starts the service outside the Spring test context cache, for tests that restart it. */
    public ConfigurableApplicationContext start() {
        return start(Map.of());
    }

    /** The same, with some properties set differently (or added). */
    public ConfigurableApplicationContext start(Map<String, String> overrides) {
        // As command-line arguments: builder "properties" are defaults, which application.yml overrides.
        // A key given twice would be read as both values joined by a comma, so overrides replace.
        Map<String, String> settings = new java.util.LinkedHashMap<>(properties());
        settings.putAll(overrides);
        List<String> args = new ArrayList<>();
        settings.forEach((key, value) -> args.add("--" + key + "=" + value));
        args.add("--server.port=0");
        return new SpringApplicationBuilder(QueryServiceApplication.class).run(args.toArray(String[]::new));
    }

    /** Waits until {@code instances} query services share the topic's partitions, each holding at least one. */
    public void awaitInstancesHavePartitions(int instances, java.time.Duration patience) {
        String group = properties().get("scoreboard.kafka.consumer-group");
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(Map.of(
                org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            org.awaitility.Awaitility.await().atMost(patience).pollInterval(java.time.Duration.ofMillis(200)).until(() -> {
                org.apache.kafka.clients.admin.ConsumerGroupDescription described = admin
                        .describeConsumerGroups(List.of(group)).all().get(10, java.util.concurrent.TimeUnit.SECONDS)
                        .get(group);
                return described.members().size() == instances && described.members().stream()
                        .allMatch(m -> !m.assignment().topicPartitions().isEmpty());
            });
        }
    }

    public Connection connectToReadDatabase() throws SQLException {
        return DriverManager.getConnection(databases.readJdbcUrl(), databases.appRole().user(),
                databases.appRole().password());
    }

    @Override
    public void close() {
        topic.close();
        databases.close();
    }
}
