package io.scoreboard.systemtests;

import io.scoreboard.infra.localstack.Ports;
import io.scoreboard.infra.localstack.up.ServiceProcess;
import io.scoreboard.testsupport.TestDatabases;
import io.scoreboard.testsupport.TestKafka;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The whole system for one test class: its own two databases and topic, and both services
 * started from their runnable jars as separate processes, exactly as they run in production.
 */
final class RunningSystem implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    static final List<String> JVM = List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    final TestDatabases databases;
    final String bootstrapServers;
    final String topic;
    private final String consumerGroup;
    private final Path logDir;
    private final String testName;
    private final List<String> commandExtraArgs;
    /** Settings for both services, applied last (e.g. rate limits on for the hostile-traffic suite). */
    private List<String> bothExtraArgs = List.of();
    private ServiceProcess commandService;
    private ServiceProcess queryService;
    private ServiceProcess additionalCommandService;
    private volatile int commandPort;
    private volatile int queryPort;
    private volatile int additionalPort;

    private RunningSystem(String testName, String environment,
                          java.util.function.Function<TestDatabases, List<String>> commandExtraArgs) {
        this(testName, environment, commandExtraArgs, TestKafka.bootstrapServers());
    }

    private RunningSystem(String testName, String environment,
                          java.util.function.Function<TestDatabases, List<String>> commandExtraArgs,
                          String bootstrapServers) {
        this.testName = testName;
        this.databases = TestDatabases.create(environment);
        this.commandExtraArgs = List.copyOf(commandExtraArgs.apply(databases));
        this.bootstrapServers = bootstrapServers;
        this.topic = TestKafka.uniqueTopic("events-" + testName.toLowerCase());
        this.consumerGroup = "query-" + topic;
        this.logDir = Path.of("target", "service-logs");
    }

    static RunningSystem start(String testName) {
        return start(testName, List.of());
    }

    /** @param commandExtraArgs more settings for the command service, e.g. a shorter ack timeout */
    static RunningSystem start(String testName, List<String> commandExtraArgs) {
        return start(testName, databases -> commandExtraArgs);
    }

    /** @param commandExtraArgs settings for the command service that depend on the test's databases */
    static RunningSystem start(String testName,
                               java.util.function.Function<TestDatabases, List<String>> commandExtraArgs) {
        RunningSystem system = new RunningSystem(testName, TestDatabases.ENVIRONMENT, commandExtraArgs);
        try {
            system.startCommandService();
            system.startQueryService();
            return system;
        } catch (RuntimeException e) {
            system.close();
            throw e;
        }
    }

    /**
     * Both services with their rate limits on (ADR 0015), as production runs them, plus {@code bothServicesArgs}
     * for both (e.g. {@code --scoreboard.rate-limits.trusted-proxies=127.0.0.1}, so that a test can speak for
     * several client addresses through {@code X-Forwarded-For}, as clients behind a proxy do).
     */
    static RunningSystem startWithRateLimits(String testName, List<String> bothServicesArgs) {
        RunningSystem system = new RunningSystem(testName, TestDatabases.ENVIRONMENT, databases -> List.of());
        List<String> both = new java.util.ArrayList<>(List.of("--scoreboard.rate-limits.enabled=true"));
        both.addAll(bothServicesArgs);
        system.bothExtraArgs = List.copyOf(both);
        try {
            system.startCommandService();
            system.startQueryService();
            return system;
        } catch (RuntimeException e) {
            system.close();
            throw e;
        }
    }

    /** Databases and Kafka, no services: for tests that launch their own. */
    static RunningSystem startInfrastructureOnly(String testName) {
        return new RunningSystem(testName, TestDatabases.ENVIRONMENT, databases -> List.of());
    }

    /**
     * Databases, and a topic name on the Kafka at {@code bootstrapServers} (e.g. a {@code TestKafkaCluster}),
     * instead of the JVM's one test broker; no services: the test starts its own ({@link ServiceInstance}).
     * {@code commandExtraArgs} are applied to every command service started on it.
     */
    static RunningSystem startInfrastructureOnly(String testName, String bootstrapServers,
                                                 List<String> commandExtraArgs) {
        return new RunningSystem(testName, TestDatabases.ENVIRONMENT, databases -> commandExtraArgs, bootstrapServers);
    }

    /** Databases stamped as belonging to {@code environment}, and Kafka; no services. */
    static RunningSystem startInfrastructureOnly(String testName, String environment) {
        return new RunningSystem(testName, environment, databases -> List.of());
    }

    /** The log of a service process this system starts, by its name. */
    Path logFile(String serviceName) {
        return logDir.resolve(testName + "-" + serviceName + ".log");
    }

    static Path jar(String service) {
        String path = System.getProperty("scoreboard." + service + ".jar");
        if (path == null) {
            throw new IllegalStateException("system property scoreboard." + service + ".jar is not set: run through "
                    + "./mvnw verify, which builds the service jars first");
        }
        return Path.of(path);
    }

    void startCommandService() {
        commandPort = Ports.findFree();
        commandService = ServiceProcess.start("command-service", jar("command-service"), JVM,
                commandServiceArgs(commandPort, topic), Map.of(), logDir.resolve(testName + "-command-service.log"),
                URI.create("http://127.0.0.1:" + commandPort + "/actuator/health"), START_TIMEOUT);
    }

    List<String> commandServiceArgs(int port, String topicName) {
        List<String> args = new java.util.ArrayList<>(List.of(
                "--server.port=" + port,
                "--spring.datasource.url=" + databases.eventsJdbcUrl(),
                "--spring.datasource.username=" + databases.appRole().user(),
                "--spring.datasource.password=" + databases.appRole().password(),
                "--scoreboard.kafka.bootstrap-servers=" + bootstrapServers,
                "--scoreboard.kafka.topic=" + topicName,
                "--scoreboard.environment=" + databases.environment(),
                // a fixed test key (32 bytes, base64): responses stored for Idempotency-Keys survive restarts
                "--scoreboard.idempotency.response-key=c2NvcmVib2FyZC1zeXN0ZW0tdGVzdHMtb25seS1rZXk=",
                // these tests send bursts and junk on purpose; the limits have their own tests (ADR 0015)
                "--scoreboard.rate-limits.enabled=false"));
        return withOverrides(withOverrides(args, commandExtraArgs), bothExtraArgs);
    }

    /** Later settings replace earlier ones of the same name (Spring would join repeated ones with commas). */
    static List<String> withOverrides(List<String> args, List<String> overrides) {
        List<String> merged = new java.util.ArrayList<>(args);
        for (String override : overrides) {
            String name = override.substring(0, override.indexOf('=') + 1);
            merged.removeIf(a -> a.startsWith(name));
            merged.add(override);
        }
        return merged;
    }

    /** A second command-service instance on the same databases and topic, with more settings. */
    ServiceProcess startAdditionalCommandService(String name, List<String> extraArgs) {
        additionalPort = Ports.findFree();
        List<String> args = withOverrides(commandServiceArgs(additionalPort, topic), extraArgs);
        additionalCommandService = ServiceProcess.start(name, jar("command-service"), JVM, args, Map.of(),
                logDir.resolve(testName + "-" + name + ".log"),
                URI.create("http://127.0.0.1:" + additionalPort + "/actuator/health"), START_TIMEOUT);
        return additionalCommandService;
    }

    int additionalPort() {
        return additionalPort;
    }

    /** Launches a command service that is expected to refuse to start. */
    ServiceProcess launchCommandService(String name, List<String> args) {
        return ServiceProcess.launch(name, jar("command-service"), JVM, args, Map.of(),
                logDir.resolve(testName + "-" + name + ".log"));
    }

    void startQueryService() {
        queryPort = Ports.findFree();
        queryService = ServiceProcess.start("query-service", jar("query-service"), JVM,
                queryServiceArgs(queryPort, bootstrapServers), Map.of(),
                logDir.resolve(testName + "-query-service.log"),
                URI.create("http://127.0.0.1:" + queryPort + "/actuator/health"), START_TIMEOUT);
    }

    /**
     * Starts the query service again after {@link #stopQueryService}, on the port it had: the address browsers and
     * clients know it by, so they reconnect by themselves. Its log keeps what the previous run wrote.
     */
    void startQueryServiceAgain() {
        if (queryService != null && queryService.isAlive()) {
            throw new IllegalStateException("the query service is running (pid " + queryService.pid() + ")");
        }
        queryService = ServiceProcess.launch("query-service", jar("query-service"), JVM,
                queryServiceArgs(queryPort, bootstrapServers), Map.of(),
                logDir.resolve(testName + "-query-service.log"), true);
        queryService.awaitHealthy(URI.create("http://127.0.0.1:" + queryPort + "/actuator/health"), START_TIMEOUT);
    }

    List<String> queryServiceArgs(int port, String kafkaBootstrapServers) {
        return withOverrides(List.of(
                "--server.port=" + port,
                "--spring.datasource.url=" + databases.readJdbcUrl(),
                "--spring.datasource.username=" + databases.appRole().user(),
                "--spring.datasource.password=" + databases.appRole().password(),
                "--scoreboard.kafka.bootstrap-servers=" + kafkaBootstrapServers,
                "--scoreboard.kafka.topic=" + topic,
                "--scoreboard.kafka.consumer-group=" + consumerGroup,
                "--scoreboard.environment=" + databases.environment(),
                "--scoreboard.rate-limits.enabled=false"), bothExtraArgs);
    }

    /** Launches a query service that is expected to refuse to start. */
    ServiceProcess launchQueryService(String name, List<String> args) {
        return ServiceProcess.launch(name, jar("query-service"), JVM, args, Map.of(),
                logDir.resolve(testName + "-" + name + ".log"));
    }

    /** SIGKILL the command service, as a crash would, and start it again on the same databases and topic. */
    void restartCommandService() {
        killCommandService();
        startCommandService();
    }

    /** SIGTERM: a planned stop (Axon releases the replicator's claim on the way out). */
    void stopCommandService() {
        commandService.close();
    }

    /** SIGKILL, as a crash would. */
    void killCommandService() {
        commandService.kill();
    }

    /**
     * After a crash the dead instance's claim on the replicator must time out (Axon's claim timeout,
     * 10 s) before replication resumes; writes answer 503 until then. Waits for that.
     */
    void awaitReplicating() {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (Http.post(commandUri("/api/v1/scoreboards"), "{\"name\":\"replication probe\"}").status() == 201) {
                return;
            }
        }
        throw new AssertionError("replication did not resume within 60 s");
    }

    void stopQueryService() {
        if (queryService != null) {
            queryService.close();
            queryService = null;
        }
    }

    /** Whether both services are still running (neither exited nor was killed). */
    boolean servicesAlive() {
        return commandService != null && commandService.isAlive() && queryService != null && queryService.isAlive();
    }

    URI commandUri(String path) {
        return URI.create("http://127.0.0.1:" + commandPort + path);
    }

    URI queryUri(String path) {
        return URI.create("http://127.0.0.1:" + queryPort + path);
    }

    @Override
    public void close() {
        if (additionalCommandService != null) {
            additionalCommandService.close();
        }
        stopQueryService();
        if (commandService != null) {
            commandService.close();
        }
        databases.close();
    }
}
