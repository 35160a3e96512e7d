package io.scoreboard.bench;

import io.scoreboard.startup.TopicEnvironment;
import io.scoreboard.startup.TopicEnvironmentCheck;
import io.scoreboard.testsupport.TestDatabases;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * What every scenario sets up the same way: the event topic, the seeded history, the owner's
 * connections, and the query service's settings and jar when it runs as its own process.
 */
final class BenchStack {

    static final int PARTITIONS = 3;
    /** What ./scoreboard up runs the services with. */
    private static final List<String> SERVICE_JVM = List.of("-Xmx512m", "-XX:+ExitOnOutOfMemoryError");

    private BenchStack() {}

    /**
     * The event topic as the services require it: infinite retention, never compacted, and recorded as
     * {@code environment}'s before it is seeded (ADR 0017), as the command service records a topic it creates.
     */
    static void createTopic(String bootstrap, String topic, String environment) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1)
                    .configs(Map.of("retention.ms", "-1", "retention.bytes", "-1")))).all().get(60, TimeUnit.SECONDS);
        }
        try (TopicEnvironmentCheck identity = TopicEnvironmentCheck.open(bootstrap, topic,
                TopicEnvironment.Settings.SERVICE)) {
            identity.claim(environment);
        }
    }

    /** Removes a scenario's topic when it is done. */
    static void deleteTopic(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.deleteTopics(List.of(topic)).all().get(60, TimeUnit.SECONDS);
        }
    }

    /** Writes {@code history} to the event store and to the topic (the documented bulk path), saying how long it took. */
    static void seed(TestDatabases databases, String bootstrap, String topic, SyntheticHistory history)
            throws Exception {
        say(String.format("seeding %,d events over %,d board(s) of %,d participants into the event store and the "
                + "topic (the bulk path) …", history.events(), history.boards(), history.participantsPerBoard()));
        long start = System.nanoTime();
        try (Connection c = owner(databases.eventsJdbcUrl(), databases)) {
            EventSeeding.intoEventStore(c, history);
        }
        EventSeeding.intoTopic(bootstrap, topic, history);
        say(String.format("seeded in %.1f s", (System.nanoTime() - start) / 1e9));
    }

    /** The services' JVM settings, plus SCOREBOARD_BENCH_SERVICE_JVM (e.g. a flight recording) when set. */
    static List<String> serviceJvm() {
        List<String> options = new ArrayList<>(SERVICE_JVM);
        String extra = System.getenv("SCOREBOARD_BENCH_SERVICE_JVM");
        if (extra != null && !extra.isBlank()) {
            options.addAll(List.of(extra.trim().split("\\s+")));
        }
        return options;
    }

    /** A progress line of the harness (tables are printed apart). */
    static void say(String line) {
        System.out.println("[bench] " + line);
    }

    static Connection owner(String url, TestDatabases databases) throws SQLException {
        return DriverManager.getConnection(url, databases.ownerRole().user(), databases.ownerRole().password());
    }

    /** The query service's settings against the bench's databases and topic. */
    static List<String> queryServiceArgs(TestDatabases databases, int port, String bootstrap, String topic) {
        return List.of(
                "--server.port=" + port,
                "--spring.datasource.url=" + databases.readJdbcUrl(),
                "--spring.datasource.username=" + databases.appRole().user(),
                "--spring.datasource.password=" + databases.appRole().password(),
                "--scoreboard.kafka.bootstrap-servers=" + bootstrap,
                "--scoreboard.kafka.topic=" + topic,
                "--scoreboard.kafka.consumer-group=query-" + topic,
                "--scoreboard.environment=" + databases.environment(),
                // a load test measures the service, not its rate limits (ADR 0015)
                "--scoreboard.rate-limits.enabled=false");
    }

    /**
     * The command service's settings against the bench's databases and topic: durability {@code replicated} (its
     * default), rate limits off.
     */
    static List<String> commandServiceArgs(TestDatabases databases, int port, String bootstrap, String topic) {
        return commandServiceArgs(databases, port, bootstrap, topic, "replicated");
    }

    /** The same, in durability mode {@code durability} ({@code replicated} or {@code local}). */
    static List<String> commandServiceArgs(TestDatabases databases, int port, String bootstrap, String topic,
                                           String durability) {
        List<String> args = new java.util.ArrayList<>(commandServiceConnections(databases, port, bootstrap, topic));
        args.add("--scoreboard.replication.durability=" + durability);
        args.add("--scoreboard.rate-limits.enabled=false"); // a load test measures the service, not its limits (ADR 0015)
        return List.copyOf(args);
    }

    /**
     * What every scenario's command service needs to reach the bench's databases and topic; each scenario adds its
     * durability and rate limits (a setting given twice would be read as both values joined).
     */
    static List<String> commandServiceConnections(TestDatabases databases, int port, String bootstrap, String topic) {
        return List.of(
                "--server.port=" + port,
                "--spring.datasource.url=" + databases.eventsJdbcUrl(),
                "--spring.datasource.username=" + databases.appRole().user(),
                "--spring.datasource.password=" + databases.appRole().password(),
                "--scoreboard.kafka.bootstrap-servers=" + bootstrap,
                "--scoreboard.kafka.topic=" + topic,
                "--scoreboard.kafka.partitions=" + PARTITIONS,
                "--scoreboard.environment=" + databases.environment(),
                // a fixed key for a throwaway database: the benchmarks send no Idempotency-Key anyway
                "--scoreboard.idempotency.response-key=c2NvcmVib2FyZC1iZW5jaG1hcmstb25seS1rZXktMzI=");
    }

    /** A jar ./scoreboard builds: the system property {@code property} if set, else {@code module}/target/{@code glob}. */
    static Path jar(String property, String module, String glob) {
        String configured = System.getProperty(property);
        if (configured != null) {
            return Path.of(configured);
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of(module, "target"), glob)) {
            for (Path jar : jars) {
                return jar;
            }
        } catch (IOException e) {
            // reported below
        }
        throw new IllegalStateException("no " + module + "/target/" + glob + " under " + Path.of("").toAbsolutePath()
                + ". Fix: run ./scoreboard bench from the repository root (it builds the jars), or set -D" + property);
    }

    /** A new log file for a process the bench starts. */
    static Path log(String name) {
        return Path.of("bench-results", "logs", name + "-" + Instant.now().toString().replace(':', '-') + ".log");
    }
}
