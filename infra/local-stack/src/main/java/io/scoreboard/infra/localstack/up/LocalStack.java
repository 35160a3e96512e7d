package io.scoreboard.infra.localstack.up;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scoreboard.infra.database.DatabaseBootstrap;
import io.scoreboard.infra.database.PostgresServer;
import io.scoreboard.infra.database.RoleCredentials;
import io.scoreboard.infra.database.ScoreboardRoles;
import io.scoreboard.infra.localstack.EmbeddedKafka;
import io.scoreboard.infra.localstack.EmbeddedKafkaCluster;
import io.scoreboard.infra.localstack.EmbeddedPostgres;
import io.scoreboard.infra.localstack.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * {@code ./scoreboard up}: PostgreSQL, Kafka, migrations, both services; prints where they are,
 * records it in {@code .scoreboard/stack.json}, restarts a process that exits unexpectedly
 * ({@link Supervisor}, docs/adr/0016), and on Ctrl-C or SIGTERM stops everything it started.
 * With {@code --cluster}, three Kafka nodes and two instances of each service ({@link StackTopology}).
 */
public final class LocalStack {

    public static final String TOPIC = "scoreboard-events";
    /** The local stack is always a development environment; nothing else defaults to one. */
    public static final String ENVIRONMENT = "dev";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration SERVICE_START_TIMEOUT = Duration.ofMinutes(3);

    private final StackSettings settings;
    private final StackTopology topology;
    private final boolean commandService;
    /** stack.json's role, port and URL of each process, by its name. */
    private final Map<String, ObjectNode> processDescriptions = new LinkedHashMap<>();
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final List<SupervisedChild> supervised = new ArrayList<>();
    private final Supervisor supervisor = new Supervisor(LocalStack::print, this::writeStackFile, RestartBackoff::new);
    /** stack.json without the processes' states, which {@link #writeStackFile()} adds each time. */
    private ObjectNode stackDescription;
    private volatile boolean stopping;

    private LocalStack(StackSettings settings, StackTopology topology, boolean commandService) {
        this.settings = settings;
        this.topology = topology;
        this.commandService = commandService;
    }

    public static void run(StackSettings settings) {
        run(settings, true);
    }

    public static void run(StackSettings settings, boolean commandService) {
        run(settings, StackTopology.single(settings), commandService);
    }

    /**
     * @param commandService false for recovery: databases (created and migrated if missing), Kafka and
     *                       the query service run, but nothing writes events, so an event store can be
     *                       restored from the topic (docs/runbook.md)
     */
    public static void run(StackSettings settings, StackTopology topology, boolean commandService) {
        LocalStack stack = new LocalStack(settings, topology, commandService);
        Runtime.getRuntime().addShutdownHook(new Thread(stack::stopAll, "scoreboard-stack-shutdown"));
        stack.startAll();
        stack.supervised.forEach(stack.supervisor::watch);
        stack.waitUntilStopped();
    }

    private void startAll() {
        Path commandJar = serviceJar("command-service");
        Path queryJar = serviceJar("query-service");
        // Fail fast on every port before starting anything.
        for (int i = 0; i < topology.commandPorts().size(); i++) {
            Ports.requireFree(topology.commandPorts().get(i), instanceSetting("SCOREBOARD_COMMAND_PORT", i)
                    + " (" + instance("command service", i) + ")");
        }
        for (int i = 0; i < topology.queryPorts().size(); i++) {
            Ports.requireFree(topology.queryPorts().get(i), instanceSetting("SCOREBOARD_QUERY_PORT", i)
                    + " (" + instance("query service", i) + ")");
        }
        if (settings.externalPostgres() == null) {
            Ports.requireFree(settings.postgresPort(), "SCOREBOARD_POSTGRES_PORT (embedded PostgreSQL)");
        }
        if (settings.externalKafka() == null) {
            for (int i = 0; i < topology.kafkaNodes().size(); i++) {
                Ports.requireFree(topology.kafkaNodes().get(i).port(), "SCOREBOARD_KAFKA_PORT"
                        + (i == 0 ? "" : "+" + 2 * i) + " (embedded " + topology.kafkaName(i) + ")");
                Ports.requireFree(topology.kafkaNodes().get(i).controllerPort(), "SCOREBOARD_KAFKA_PORT+"
                        + (2 * i + 1) + " (embedded " + topology.kafkaName(i) + " controller)");
            }
        }

        LocalCredentials credentials = LocalCredentials.loadOrCreate(settings.dataDir().resolve("credentials.json"));
        ScoreboardRoles roles = credentials.roles();

        say("starting PostgreSQL …");
        PostgresServer postgres = startPostgres();
        say(topology.cluster() ? "starting Kafka (" + topology.kafkaNodes().size() + " nodes) …" : "starting Kafka …");
        String kafka = startKafka();
        say("migrating databases as " + roles.owner().user() + " …");
        String eventsDb = topology.eventsDatabase();
        String readDb = topology.readDatabase();
        new DatabaseBootstrap(postgres, roles, ENVIRONMENT).prepare(eventsDb, readDb);
        describeInfrastructure(postgres);

        if (commandService) {
            // One after the other: the first creates the topic, the next finds it.
            for (int i = 0; i < topology.commandPorts().size(); i++) {
                int port = topology.commandPorts().get(i);
                String name = topology.instanceName("command-service", i);
                say("starting " + name + " on :" + port + " …");
                startService(name, "command-service", commandJar, settings.commandHeap(), "SCOREBOARD_COMMAND_HEAP",
                        port, postgres.jdbcUrl(eventsDb), roles, kafka, List.of(
                                "--scoreboard.idempotency.response-key=" + credentials.responseKey(),
                                "--scoreboard.kafka.replication-factor=" + topology.replicationFactor(),
                                "--scoreboard.kafka.min-insync-replicas=" + topology.minInsyncReplicas()));
            }
        } else {
            say("recovery mode: no command service, nothing writes events (restore the event store now, then "
                    + "restart without --recovery)");
        }
        for (int i = 0; i < topology.queryPorts().size(); i++) {
            int port = topology.queryPorts().get(i);
            String name = topology.instanceName("query-service", i);
            say("starting " + name + " on :" + port + " …");
            startService(name, "query-service", queryJar, settings.queryHeap(), "SCOREBOARD_QUERY_HEAP", port,
                    postgres.jdbcUrl(readDb), roles, kafka, List.of());
        }

        writeStackDescription(postgres, kafka, eventsDb, readDb, roles);
        printBanner();
    }

    private static String instanceSetting(String setting, int index) {
        return index == 0 ? setting : setting + "+" + 2 * index;
    }

    /** "command service", or in a cluster "command service 2". */
    private String instance(String service, int index) {
        return topology.cluster() ? service + " " + (index + 1) : service;
    }

    /** Both services take the same settings: their heap and port, their database as the app role, Kafka. */
    private void startService(String name, String role, Path jar, String heap, String heapSetting, int port,
                              String jdbcUrl, ScoreboardRoles roles, String kafka, List<String> extraArgs) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=" + port,
                "--spring.datasource.url=" + jdbcUrl,
                "--spring.datasource.username=" + roles.app().user(),
                "--spring.datasource.password=" + roles.app().password(),
                "--scoreboard.kafka.bootstrap-servers=" + kafka,
                "--scoreboard.kafka.topic=" + TOPIC,
                "--scoreboard.environment=" + ENVIRONMENT));
        args.addAll(extraArgs);
        // The services read their own SCOREBOARD_* settings (the rate limits) from the environment they inherit;
        // SCOREBOARD_RATE_LIMITS is named here because ./scoreboard up documents it.
        Map<String, String> environment = settings.rateLimits() == null ? Map.of()
                : Map.of("SCOREBOARD_RATE_LIMITS", settings.rateLimits());
        SupervisedService service = SupervisedService.start(name, jar, heap, heapSetting, args, environment,
                settings.dataDir().resolve("logs").resolve(name + ".log"), health(port), SERVICE_START_TIMEOUT);
        started.push(service);
        supervised.add(service);
        describeProcess(name, role, port, "http://127.0.0.1:" + port);
    }

    /** PostgreSQL's and Kafka's entries in stack.json's processes; the services add theirs as they start. */
    private void describeInfrastructure(PostgresServer postgres) {
        if (settings.externalPostgres() == null) {
            describeProcess("PostgreSQL", "postgres", postgres.port(), "jdbc:postgresql://" + postgres.host() + ":"
                    + postgres.port() + "/");
        }
        if (settings.externalKafka() == null) {
            for (int i = 0; i < topology.kafkaNodes().size(); i++) {
                int port = topology.kafkaNodes().get(i).port();
                describeProcess(topology.kafkaName(i), "kafka", port, "127.0.0.1:" + port);
            }
        }
    }

    private void describeProcess(String name, String role, int port, String url) {
        ObjectNode process = JSON.createObjectNode();
        process.put("role", role);
        process.put("port", port);
        process.put("url", url);
        processDescriptions.put(name, process);
    }

    private PostgresServer startPostgres() {
        if (settings.externalPostgres() != null) {
            PostgresServer server = parseServer(settings.externalPostgres());
            requireReachable(server);
            return server;
        }
        EmbeddedPostgres postgres = EmbeddedPostgres.start(settings.dataDir().resolve("postgres"), settings.postgresPort());
        SupervisedPostgres supervisedPostgres = new SupervisedPostgres(postgres);
        started.push(supervisedPostgres);
        supervised.add(supervisedPostgres);
        return postgres.server();
    }

    private String startKafka() {
        if (settings.externalKafka() != null) {
            requireReachable(settings.externalKafka());
            return settings.externalKafka();
        }
        if (topology.cluster()) {
            EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start(topology.kafkaDir(), topology.kafkaNodes());
            started.push(cluster); // closed as one: its nodes stop together
            for (int i = 0; i < cluster.size(); i++) {
                supervised.add(new SupervisedKafkaNode(cluster, i, topology.kafkaName(i)));
            }
            return cluster.bootstrapServers();
        }
        EmbeddedKafka kafka = EmbeddedKafka.start(topology.kafkaDir(), settings.kafkaPort(),
                settings.kafkaPort() + 1);
        SupervisedKafka supervisedKafka = new SupervisedKafka(kafka);
        started.push(supervisedKafka);
        supervised.add(supervisedKafka);
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
        ObjectNode stack = JSON.createObjectNode();
        stack.put("startedAt", Instant.now().toString());
        stack.put("pid", ProcessHandle.current().pid());
        stack.put("environment", ENVIRONMENT);
        stack.put("mode", topology.cluster() ? "cluster" : "single");
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
        k.put("replicationFactor", topology.replicationFactor());
        k.put("minInsyncReplicas", topology.minInsyncReplicas());
        if (settings.externalKafka() == null) {
            k.put("brokers", topology.kafkaNodes().size());
        }
        ObjectNode services = stack.putObject("services");
        services.put("command", "http://127.0.0.1:" + topology.commandPorts().get(0));
        services.put("query", "http://127.0.0.1:" + topology.queryPorts().get(0));
        if (commandService) {
            topology.commandPorts().forEach(port -> services.withArray("commandInstances").add("http://127.0.0.1:" + port));
        }
        topology.queryPorts().forEach(port -> services.withArray("queryInstances").add("http://127.0.0.1:" + port));
        stackDescription = stack;
        writeStackFile();
    }

    /**
     * Writes stack.json with each process's current state (pid, restarts, last exit); again after every
     * change the supervisor sees. Replaced in one move, so a reader never sees half a file.
     */
    private synchronized void writeStackFile() {
        if (stackDescription == null) {
            return;
        }
        ObjectNode stack = stackDescription.deepCopy();
        ObjectNode processes = stack.putObject("processes");
        for (SupervisedChild child : supervised) {
            Supervisor.Status status = supervisor.statuses().stream().filter(s -> s.name().equals(child.name()))
                    .findFirst().orElse(new Supervisor.Status(child.name(), child.pid(), Supervisor.State.UP, 0, null,
                            child.logFile().toString()));
            ObjectNode process = processes.putObject(status.name());
            ObjectNode description = processDescriptions.get(status.name());
            if (description != null) {
                process.setAll(description);
            }
            process.put("pid", status.pid());
            process.put("state", status.state().name().toLowerCase(Locale.ROOT));
            process.put("restarts", status.restarts());
            process.put("log", status.log());
            if (status.lastExit() != null) {
                process.putObject("lastExit").put("code", status.lastExit().code())
                        .put("at", status.lastExit().at().toString()).put("meaning", status.lastExit().meaning());
            }
        }
        Path file = settings.dataDir().resolve("stack.json");
        // A dot name: reset-local ignores it should a crash leave it behind.
        Path scratch = settings.dataDir().resolve(".stack.json.tmp");
        try {
            Files.writeString(scratch, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(stack));
            LocalCredentials.restrictToOwner(scratch);
            Files.move(scratch, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private void printBanner() {
        String command = "http://127.0.0.1:" + topology.commandPorts().get(0);
        String query = "http://127.0.0.1:" + topology.queryPorts().get(0);
        String commands = urls(topology.commandPorts());
        String queries = urls(topology.queryPorts());
        System.out.println();
        System.out.println(commandService ? "Scoreboard is running" + (topology.cluster() ? " as a cluster." : ".")
                : "Scoreboard is running in recovery mode: no command service (writes are off).");
        if (commandService) {
            System.out.println("  command API  " + commands.replace(" ", "/api/v1/scoreboards  ") + "/api/v1/scoreboards");
        }
        System.out.println("  query API    " + queries.replace(" ", "/api/v1/scoreboards/{id}  ") + "/api/v1/scoreboards/{id}");
        if (topology.cluster()) {
            System.out.println("  Kafka        " + topology.kafkaNodes().size() + " nodes (" + stackKafka()
                    + "), replication factor " + topology.replicationFactor() + ", min.insync.replicas "
                    + topology.minInsyncReplicas());
            System.out.println("  databases    " + topology.eventsDatabase() + ", " + topology.readDatabase()
                    + " (not the single-node stack's)");
            System.out.println("  pids         stack.json's processes; kill one (kill -9 <pid>) and watch it come back");
        }
        System.out.println("  health       " + (commandService ? commands.replace(" ", "/actuator/health  ") + "/actuator/health  " : "")
                + queries.replace(" ", "/actuator/health  ") + "/actuator/health");
        System.out.println("  stack        " + settings.dataDir().resolve("stack.json") + "   logs "
                + settings.dataDir().resolve("logs"));
        System.out.println("  analyst SQL  the read model, read-only: postgres.analystRole in stack.json (docs/analytics.md)");
        System.out.println("  heap         " + (commandService ? "command service -Xmx" + settings.commandHeap() + " (SCOREBOARD_COMMAND_HEAP), " : "")
                + "query service -Xmx" + settings.queryHeap() + " (SCOREBOARD_QUERY_HEAP)");
        if (settings.rateLimits() != null) {
            System.out.println("  rate limits  SCOREBOARD_RATE_LIMITS=" + settings.rateLimits() + " (passed to both services)");
        }
        System.out.println();
        System.out.println("Try it:");
        System.out.println("  curl -s -X POST " + command + "/api/v1/scoreboards -H 'Content-Type: application/json' \\");
        System.out.println("       -d '{\"name\":\"Quiz night\",\"participants\":[\"Ann\",\"Bob\"]}'");
        System.out.println("  curl -s '" + query + "/api/v1/scoreboards/<scoreboardId>?minPosition=<position>'");
        System.out.println();
        System.out.println("A process that exits unexpectedly is restarted (docs/runbook.md, \"A service keeps dying\").");
        System.out.println("Ctrl-C (or ./scoreboard down) stops everything.");
        System.out.flush();
    }

    private static String urls(List<Integer> ports) {
        return String.join(" ", ports.stream().map(port -> "http://127.0.0.1:" + port).toList());
    }

    private String stackKafka() {
        return stackDescription == null ? "" : stackDescription.path("kafka").path("bootstrapServers").asText();
    }

    /** The supervisor's threads do the work; this thread only keeps the launcher in the foreground. */
    private void waitUntilStopped() {
        while (!stopping) {
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
        supervisor.stop(); // from here on every exit is expected
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
        print("[scoreboard] " + message);
    }

    private static synchronized void print(String lines) {
        System.out.println(lines);
        System.out.flush();
    }
}
