package io.scoreboard.infra.localstack.up;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scoreboard.infra.database.DatabaseBootstrap;
import io.scoreboard.infra.database.PostgresServer;
import io.scoreboard.infra.database.RoleCredentials;
import io.scoreboard.infra.database.ScoreboardDatabase;
import io.scoreboard.infra.database.ScoreboardRoles;
import io.scoreboard.infra.localstack.EmbeddedKafka;
import io.scoreboard.infra.localstack.EmbeddedPostgres;
import io.scoreboard.infra.localstack.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * {@code ./scoreboard up}: PostgreSQL, Kafka, migrations, both services; prints where they are,
 * records it in {@code .scoreboard/stack.json}, and on Ctrl-C or SIGTERM stops everything it started.
 */
public final class LocalStack {

    public static final String TOPIC = "scoreboard-events";
    /** The local stack is always a development environment; nothing else defaults to one. */
    public static final String ENVIRONMENT = "dev";
    private static final Duration SERVICE_START_TIMEOUT = Duration.ofMinutes(3);
    private static final List<String> SERVICE_JVM = List.of("-Xmx512m", "-XX:+ExitOnOutOfMemoryError");

    private final StackSettings settings;
    private final boolean commandService;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private volatile boolean stopping;

    private LocalStack(StackSettings settings, boolean commandService) {
        this.settings = settings;
        this.commandService = commandService;
    }

    public static void run(StackSettings settings) {
        run(settings, true);
    }

    /**
     * @param commandService false for recovery: databases (created and migrated if missing), Kafka and
     *                       the query service run, but nothing writes events, so an event store can be
     *                       restored from the topic (docs/runbook.md)
     */
    public static void run(StackSettings settings, boolean commandService) {
        LocalStack stack = new LocalStack(settings, commandService);
        Runtime.getRuntime().addShutdownHook(new Thread(stack::stopAll, "scoreboard-stack-shutdown"));
        stack.startAll();
        stack.superviseUntilStopped();
    }

    private void startAll() {
        Path commandJar = serviceJar("command-service");
        Path queryJar = serviceJar("query-service");
        // Fail fast on every port before starting anything.
        Ports.requireFree(settings.commandPort(), "SCOREBOARD_COMMAND_PORT (command service)");
        Ports.requireFree(settings.queryPort(), "SCOREBOARD_QUERY_PORT (query service)");
        if (settings.externalPostgres() == null) {
            Ports.requireFree(settings.postgresPort(), "SCOREBOARD_POSTGRES_PORT (embedded PostgreSQL)");
        }
        if (settings.externalKafka() == null) {
            Ports.requireFree(settings.kafkaPort(), "SCOREBOARD_KAFKA_PORT (embedded Kafka)");
            Ports.requireFree(settings.kafkaPort() + 1, "SCOREBOARD_KAFKA_PORT+1 (embedded Kafka controller)");
        }

        LocalCredentials credentials = LocalCredentials.loadOrCreate(settings.dataDir().resolve("credentials.json"));
        ScoreboardRoles roles = credentials.roles();

        say("starting PostgreSQL …");
        PostgresServer postgres = startPostgres();
        say("starting Kafka …");
        String kafka = startKafka();
        say("migrating databases as " + roles.owner().user() + " …");
        String eventsDb = ScoreboardDatabase.EVENTS.defaultName();
        String readDb = ScoreboardDatabase.READ.defaultName();
        new DatabaseBootstrap(postgres, roles, ENVIRONMENT).prepare(eventsDb, readDb);

        if (commandService) {
            say("starting the command service on :" + settings.commandPort() + " …");
            startService("command-service", commandJar, settings.commandPort(), postgres.jdbcUrl(eventsDb), roles,
                    kafka, List.of("--scoreboard.idempotency.response-key=" + credentials.responseKey()));
        } else {
            say("recovery mode: no command service, nothing writes events (restore the event store now, then "
                    + "restart without --recovery)");
        }
        say("starting the query service on :" + settings.queryPort() + " …");
        startService("query-service", queryJar, settings.queryPort(), postgres.jdbcUrl(readDb), roles, kafka, List.of());

        writeStackDescription(postgres, kafka, eventsDb, readDb, roles);
        printBanner();
    }

    /** Both services take the same settings: their port, their database as the app role, Kafka. */
    private void startService(String name, Path jar, int port, String jdbcUrl, ScoreboardRoles roles, String kafka,
                              List<String> extraArgs) {
        List<String> args = new java.util.ArrayList<>(List.of(
                "--server.port=" + port,
                "--spring.datasource.url=" + jdbcUrl,
                "--spring.datasource.username=" + roles.app().user(),
                "--spring.datasource.password=" + roles.app().password(),
                "--scoreboard.kafka.bootstrap-servers=" + kafka,
                "--scoreboard.kafka.topic=" + TOPIC,
                "--scoreboard.environment=" + ENVIRONMENT));
        args.addAll(extraArgs);
        started.push(ServiceProcess.start(name, jar, SERVICE_JVM, args,
                Map.of(), settings.dataDir().resolve("logs").resolve(name + ".log"), health(port),
                SERVICE_START_TIMEOUT));
    }

    private PostgresServer startPostgres() {
        if (settings.externalPostgres() != null) {
            PostgresServer server = parseServer(settings.externalPostgres());
            requireReachable(server);
            return server;
        }
        EmbeddedPostgres postgres = EmbeddedPostgres.start(settings.dataDir().resolve("postgres"), settings.postgresPort());
        started.push(postgres);
        return postgres.server();
    }

    private String startKafka() {
        if (settings.externalKafka() != null) {
            requireReachable(settings.externalKafka());
            return settings.externalKafka();
        }
        EmbeddedKafka kafka = EmbeddedKafka.start(settings.dataDir().resolve("kafka"), settings.kafkaPort(),
                settings.kafkaPort() + 1);
        started.push(kafka);
        return kafka.bootstrapServers();
    }

    private PostgresServer parseServer(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        try {
            String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            int port = colon < 0 ? 5432 : Integer.parseInt(hostPort.substring(colon + 1));
            return new PostgresServer(host, port, settings.postgresUser(), settings.postgresPassword());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("SCOREBOARD_POSTGRES='" + hostPort + "' is not host:port. "
                    + "Fix: e.g. SCOREBOARD_POSTGRES=127.0.0.1:5432, or unset it to use the embedded server.");
        }
    }

    private static void requireReachable(PostgresServer server) {
        Properties props = new Properties();
        props.setProperty("user", server.superuser());
        if (server.superuserPassword() != null) {
            props.setProperty("password", server.superuserPassword());
        }
        props.setProperty("connectTimeout", "5");
        try (Connection ignored = DriverManager.getConnection(server.jdbcUrl("postgres"), props)) {
            // reachable
        } catch (SQLException e) {
            throw new IllegalStateException("SCOREBOARD_POSTGRES: cannot connect to PostgreSQL at " + server.host() + ":"
                    + server.port() + " as " + server.superuser() + " (" + e.getMessage() + "). Fix: start that "
                    + "server, correct SCOREBOARD_POSTGRES / _USER / _PASSWORD, or unset SCOREBOARD_POSTGRES to "
                    + "use the embedded one.");
        }
    }

    private static void requireReachable(String bootstrapServers) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000))) {
            admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("SCOREBOARD_KAFKA: cannot reach Kafka at " + bootstrapServers + " ("
                    + e + "). Fix: start that broker, correct SCOREBOARD_KAFKA, or unset it to use the embedded one.");
        }
    }

    private Path serviceJar(String module) {
        Path target = settings.root().resolve(module).resolve("target");
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, module + "-*-exec.jar")) {
            for (Path jar : jars) {
                return jar;
            }
        } catch (IOException e) {
            // fall through to the message below
        }
        throw new IllegalStateException("no runnable jar in " + target + ". Fix: run ./scoreboard up (it builds "
                + "first) or ./mvnw -DskipTests package.");
    }

    private static URI health(int port) {
        return URI.create("http://127.0.0.1:" + port + "/actuator/health");
    }

    private void writeStackDescription(PostgresServer postgres, String kafka, String eventsDb, String readDb,
                                       ScoreboardRoles roles) {
        JsonMapper json = JsonMapper.builder().build();
        ObjectNode stack = json.createObjectNode();
        stack.put("startedAt", Instant.now().toString());
        stack.put("pid", ProcessHandle.current().pid());
        stack.put("environment", ENVIRONMENT);
        ObjectNode pg = stack.putObject("postgres");
        pg.put("embedded", settings.externalPostgres() == null);
        pg.put("host", postgres.host());
        pg.put("port", postgres.port());
        pg.put("url", "jdbc:postgresql://" + postgres.host() + ":" + postgres.port() + "/");
        pg.putObject("databases").put("events", eventsDb).put("read", readDb)
                .put("eventsUrl", postgres.jdbcUrl(eventsDb)).put("readUrl", postgres.jdbcUrl(readDb));
        // Local stack only: these are throw-away credentials of a development database.
        pg.putObject("serviceRole").put("user", roles.app().user()).put("password", roles.app().password());
        pg.putObject("ownerRole").put("user", roles.owner().user()).put("password", roles.owner().password());
        // Read-only SQL access to the read model (docs/analytics.md): `psql "$(jq -r .postgres.analystRole.psql …)"`.
        RoleCredentials analyst = roles.analyst().orElseThrow();
        pg.putObject("analystRole").put("user", analyst.user()).put("password", analyst.password())
                .put("url", postgres.jdbcUrl(readDb))
                .put("psql", "postgresql://" + analyst.user() + ":" + analyst.password() + "@" + postgres.host() + ":"
                        + postgres.port() + "/" + readDb);
        ObjectNode k = stack.putObject("kafka");
        k.put("embedded", settings.externalKafka() == null);
        k.put("bootstrapServers", kafka);
        k.put("topic", TOPIC);
        ObjectNode services = stack.putObject("services");
        services.put("command", "http://127.0.0.1:" + settings.commandPort());
        services.put("query", "http://127.0.0.1:" + settings.queryPort());
        Path file = settings.dataDir().resolve("stack.json");
        try {
            Files.writeString(file, json.writerWithDefaultPrettyPrinter().writeValueAsString(stack));
            LocalCredentials.restrictToOwner(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private void printBanner() {
        String command = "http://127.0.0.1:" + settings.commandPort();
        String query = "http://127.0.0.1:" + settings.queryPort();
        System.out.println();
        System.out.println(commandService ? "Scoreboard is running."
                : "Scoreboard is running in recovery mode: no command service (writes are off).");
        System.out.println("  command API  " + command + "/api/v1/scoreboards");
        System.out.println("  query API    " + query + "/api/v1/scoreboards/{id}");
        System.out.println("  health       " + command + "/actuator/health  " + query + "/actuator/health");
        System.out.println("  stack        " + settings.dataDir().resolve("stack.json") + "   logs "
                + settings.dataDir().resolve("logs"));
        System.out.println("  analyst SQL  the read model, read-only: postgres.analystRole in stack.json (docs/analytics.md)");
        System.out.println();
        System.out.println("Try it:");
        System.out.println("  curl -s -X POST " + command + "/api/v1/scoreboards -H 'Content-Type: application/json' \\");
        System.out.println("       -d '{\"name\":\"Quiz night\",\"participants\":[\"Ann\",\"Bob\"]}'");
        System.out.println("  curl -s '" + query + "/api/v1/scoreboards/<scoreboardId>?minPosition=<position>'");
        System.out.println();
        System.out.println("Ctrl-C stops everything.");
        System.out.flush();
    }

    private void superviseUntilStopped() {
        while (!stopping) {
            for (AutoCloseable part : started) {
                if (part instanceof ServiceProcess service && !service.isAlive() && !stopping) {
                    System.err.println(service.name() + " stopped unexpectedly. Its log ends with:\n" + service.logTail(30));
                    System.exit(1); // the shutdown hook stops the rest
                }
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops what was started, newest first: services, then Kafka, then PostgreSQL. */
    private synchronized void stopAll() {
        stopping = true;
        if (!started.isEmpty()) {
            say("stopping …");
        }
        while (!started.isEmpty()) {
            AutoCloseable part = started.pop();
            try {
                part.close();
            } catch (Exception e) {
                System.err.println("while stopping: " + e.getMessage());
            }
        }
    }

    private static void say(String message) {
        System.out.println("[scoreboard] " + message);
        System.out.flush();
    }
}
