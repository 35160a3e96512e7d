package io.scoreboard.bench;

import io.scoreboard.infra.localstack.Ports;
import io.scoreboard.infra.localstack.up.ServiceProcess;
import io.scoreboard.startup.EventTopicSettings;
import io.scoreboard.testsupport.TestDatabases;
import io.scoreboard.testsupport.TestKafka;
import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Command throughput, replication lag and the command service's memory (issue 7, scenarios 1, 2
 * and 6): score changes over real HTTP from closed-loop clients in this JVM against the command
 * service running from its exec jar as its own process, on a real PostgreSQL event store and a real
 * Kafka broker — first in durability mode {@code replicated} (the default), then {@code local}. The
 * same-run reference is PostgreSQL's own rate of single-row INSERT transactions into an
 * event-shaped table at the same concurrency, measured just before.
 */
final class CommandBenchmark {

    static final double TARGET_COMMANDS_PER_SECOND = 4_000;
    static final double TARGET_RATIO_TO_INSERTS = 0.3;
    static final double TARGET_P99_MILLIS = 50;
    static final double TARGET_LAG_P99_MILLIS = 50;
    static final int CLIENTS = 64;
    static final int PARTICIPANTS_PER_BOARD = 5;
    private static final int PARTITIONS = BenchStack.PARTITIONS;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    private final int boards;
    private final Duration warmUp;
    private final Duration window;
    private final Duration referenceWarmUp;
    private final Duration referenceWindow;

    CommandBenchmark(boolean quick) {
        this.boards = quick ? 500 : 10_000;
        // Each mode runs in a freshly started JVM: the warm-up must let the JIT finish there, not only in the first.
        this.warmUp = Duration.ofSeconds(quick ? 5 : 30);
        this.window = Duration.ofSeconds(quick ? 10 : 60);
        this.referenceWarmUp = Duration.ofSeconds(quick ? 1 : 5);
        this.referenceWindow = Duration.ofSeconds(quick ? 4 : 20);
    }

    /** The names its tables' raw figures are written under, in the order {@link #run()} returns them. */
    static final List<String> TABLE_NAMES = List.of("commands-throughput", "commands-replication-lag", "commands-memory");

    /** The three tables: throughput and latency, replication lag, memory. */
    List<ResultTable> run() throws Exception {
        Path jar = commandServiceJar();
        try (TestDatabases databases = TestDatabases.create("bench")) {
            String bootstrap = TestKafka.bootstrapServers();
            String topic = TestKafka.uniqueTopic("bench-commands");
            createTopic(bootstrap, topic);
            try {
                return measure(jar, databases, bootstrap, topic);
            } finally {
                deleteTopic(bootstrap, topic);
            }
        }
    }

    private List<ResultTable> measure(Path jar, TestDatabases databases, String bootstrap, String topic)
            throws Exception {
        Map<String, Object> context = Machine.describe(databases);
        context.put("boards", boards);
        context.put("participants per board", PARTICIPANTS_PER_BOARD);
        context.put("clients", CLIENTS + " (closed loop, HTTP/1.1 keep-alive, JDK HttpClient in the bench JVM)");
        context.put("window", "warm-up " + warmUp.toSeconds() + " s, then " + window.toSeconds() + " s measured, per mode");
        context.put("command service", "exec jar as its own process, " + String.join(" ", BenchStack.serviceJvm()));
        context.put("load average at start", ProcessStats.loadAverage());

        BenchStack.say("reference: single-row INSERT transactions into an event-shaped table, " + CLIENTS + " JDBC connections …");
        ClosedLoop.Result reference = InsertReference.run(databases.eventsJdbcUrl(), databases.ownerRole().user(),
                databases.ownerRole().password(), CLIENTS, boards, referenceWarmUp, referenceWindow);
        requireNoFailures("the INSERT reference", reference);
        LatencySummary ref = reference.latencies();
        BenchStack.say(String.format("reference: %,.0f inserts/s, p99 %.1f ms (load %s)", ref.perSecond(), ref.p99Millis(),
                ProcessStats.loadAverage()));
        context.put("load average after reference", ProcessStats.loadAverage());

        Phase replicated = runMode("replicated", jar, databases, bootstrap, topic, true);
        Phase local = runMode("local", jar, databases, bootstrap, topic, false);

        BenchStack.say("reading the topic for replication lag …");
        LatencySummary replicatedLag = ReplicationLag.measure(bootstrap, topic, PARTITIONS,
                replicated.load.windowStartMillis(), replicated.load.windowEndMillis());
        LatencySummary localLag = ReplicationLag.measure(bootstrap, topic, PARTITIONS,
                local.load.windowStartMillis(), local.load.windowEndMillis());

        List<ResultTable> tables = new ArrayList<>();
        ResultTable throughput = new ResultTable("Command throughput (score changes over HTTP)", context);
        String refRate = "single-row INSERT tx, " + CLIENTS + " conns";
        for (Phase phase : List.of(replicated, local)) {
            LatencySummary s = phase.load.latencies();
            boolean targeted = phase == replicated;
            context.put(phase.mode + ": load average during window", phase.loadDuring);
            context.put(phase.mode + ": boards created", phase.boardsCreated);
            context.put(phase.mode + ": failed requests in window", phase.load.latencies().errors());
            context.put(phase.mode + ": CPU seconds per 1,000 commands (service / bench JVM)",
                    String.format("%.2f / %.2f", phase.serviceCpuSeconds * 1000 / Math.max(1, s.count()),
                            phase.benchCpuSeconds * 1000 / Math.max(1, s.count())));
            throughput.add(new ResultTable.Row(phase.mode + ": acknowledged", s.perSecond(), "commands/s",
                    refRate, ref.perSecond(), TARGET_COMMANDS_PER_SECOND,
                    targeted ? ResultTable.Goal.AT_LEAST : ResultTable.Goal.NONE,
                    targeted ? TARGET_RATIO_TO_INSERTS : Double.NaN));
            throughput.add(latencyRow(phase.mode + ": latency p50", s.p50Millis(), "INSERT p50", ref.p50Millis(), false));
            throughput.add(latencyRow(phase.mode + ": latency p95", s.p95Millis(), "INSERT p95", ref.p95Millis(), false));
            throughput.add(latencyRow(phase.mode + ": latency p99", s.p99Millis(), "INSERT p99", ref.p99Millis(),
                    targeted));
            throughput.add(latencyRow(phase.mode + ": latency max", s.maxMillis(), "INSERT max", ref.maxMillis(), false));
        }
        tables.add(throughput);

        Map<String, Object> lagContext = new LinkedHashMap<>();
        lagContext.put("measured", "broker append time (topic stamps LogAppendTime) minus the event's occurred-at "
                + "(stamped just before its PostgreSQL commit): commit-to-ack lag plus the insert and commit, ms resolution");
        lagContext.put("events measured (replicated / local)", replicatedLag.count() + " / " + localLag.count()
                + " (acknowledged commands in the windows: " + replicated.load.latencies().count() + " / "
                + local.load.latencies().count() + ")");
        lagContext.put("replication caught up after the load (replicated / local)",
                String.format("%.1f s / %.1f s", replicated.catchUp.toMillis() / 1e3, local.catchUp.toMillis() / 1e3));
        ResultTable lag = new ResultTable("Replication lag under that load (PostgreSQL commit to Kafka ack)", lagContext);
        lag.add(lagRow("replicated: lag p50", replicatedLag.p50Millis(), false));
        lag.add(lagRow("replicated: lag p99", replicatedLag.p99Millis(), true));
        lag.add(lagRow("replicated: lag max", replicatedLag.maxMillis(), false));
        lag.add(lagRow("local: lag p50", localLag.p50Millis(), false));
        lag.add(lagRow("local: lag p99", localLag.p99Millis(), true));
        lag.add(lagRow("local: lag max", localLag.maxMillis(), false));
        tables.add(lag);

        Map<String, Object> memoryContext = new LinkedHashMap<>();
        memoryContext.put("command service JVM", String.join(" ", BenchStack.serviceJvm()));
        memoryContext.put("why this heap", "the setting ./scoreboard up runs the services with; boards are kept "
                + "as committed (ADR 0012) up to scoreboard.commands.cache.max-weight (default 500,000 units, about "
                + "60-80 MB), so the live set is bounded and does not grow with the number of boards");
        memoryContext.put("measured", "VmHWM of the command service process (/proc/<pid>/status) at the end of "
                + "each mode: the peak since that process started (board creation included in replicated)");
        ResultTable memory = new ResultTable("Memory of the command service", memoryContext);
        for (Phase phase : List.of(replicated, local)) {
            memory.add(new ResultTable.Row(phase.mode + ": peak RSS", phase.peakRssMiB, "MiB", "—", Double.NaN, 0,
                    ResultTable.Goal.NONE, Double.NaN));
        }
        tables.add(memory);
        return tables;
    }

    private record Phase(String mode, ClosedLoop.Result load, int boardsCreated, String loadDuring,
                         double peakRssMiB, double serviceCpuSeconds, double benchCpuSeconds, Duration catchUp) {}

    /** Created through the API in the first mode, scored in both. */
    private List<CommandApi.Board> boardsMade;

    /** Starts the command service in one durability mode, creates boards (first mode only), runs the load, stops it. */
    private Phase runMode(String mode, Path jar, TestDatabases databases, String bootstrap, String topic,
                          boolean createBoards) throws Exception {
        int port = Ports.findFree();
        BenchStack.say("starting the command service (" + mode + ") on port " + port + " …");
        Path log = Path.of("bench-results", "logs", "command-service-" + mode + "-"
                + Instant.now().toString().replace(':', '-') + ".log");
        try (ServiceProcess service = ServiceProcess.start("command-service", jar, BenchStack.serviceJvm(),
                serviceArgs(port, databases, bootstrap, topic, mode), Map.of(), log,
                URI.create("http://127.0.0.1:" + port + "/actuator/health"), START_TIMEOUT)) {
            CommandApi api = new CommandApi(URI.create("http://127.0.0.1:" + port));
            if (createBoards) {
                BenchStack.say(String.format("creating %,d boards with %d participants each through the API …", boards,
                        PARTICIPANTS_PER_BOARD));
                long start = System.nanoTime();
                boardsMade = api.createBoards(boards, PARTICIPANTS_PER_BOARD, CLIENTS);
                BenchStack.say(String.format("created in %.1f s", (System.nanoTime() - start) / 1e9));
            }
            long self = ProcessHandle.current().pid();
            double serviceCpu = ProcessStats.cpuSeconds(service.pid());
            double benchCpu = ProcessStats.cpuSeconds(self);
            BenchStack.say(mode + ": " + CLIENTS + " clients, warm-up " + warmUp.toSeconds() + " s, measuring " + window.toSeconds()
                    + " s …");
            ClosedLoop.Result load = ClosedLoop.run(mode, CLIENTS, warmUp, window, i -> api.scoreChanges(boardsMade),
                    null);
            String loadDuring = ProcessStats.loadAverage();
            serviceCpu = ProcessStats.cpuSeconds(service.pid()) - serviceCpu;
            benchCpu = ProcessStats.cpuSeconds(self) - benchCpu;
            double peak = ProcessStats.peakRssMiB(service.pid());
            Duration catchUp = api.awaitReplicated(Duration.ofSeconds(120));
            LatencySummary s = load.latencies();
            BenchStack.say(String.format("%s: %,.0f commands/s, p50 %.1f ms, p99 %.1f ms, %d failed, peak RSS %.0f MiB (load %s)",
                    mode, s.perSecond(), s.p50Millis(), s.p99Millis(), load.latencies().errors(), peak, loadDuring));
            if (load.latencies().errors() > 0) {
                BenchStack.say("first failure: " + load.firstFailure());
            }
            BenchStack.say(String.format("%s: replication caught up %.1f s after the load", mode, catchUp.toMillis() / 1e3));
            return new Phase(mode, load, createBoards ? boards : 0, loadDuring, peak, serviceCpu, benchCpu, catchUp);
        }
    }

    private static List<String> serviceArgs(int port, TestDatabases databases, String bootstrap, String topic,
                                            String durability) {
        return List.of(
                "--server.port=" + port,
                "--spring.datasource.url=" + databases.eventsJdbcUrl(),
                "--spring.datasource.username=" + databases.appRole().user(),
                "--spring.datasource.password=" + databases.appRole().password(),
                "--scoreboard.kafka.bootstrap-servers=" + bootstrap,
                "--scoreboard.kafka.topic=" + topic,
                "--scoreboard.kafka.partitions=" + PARTITIONS,
                "--scoreboard.environment=" + databases.environment(),
                "--scoreboard.replication.durability=" + durability,
                // a fixed key for a throwaway database: the benchmark sends no Idempotency-Key anyway
                "--scoreboard.idempotency.response-key=c2NvcmVib2FyZC1iZW5jaG1hcmstb25seS1rZXktMzI=",
                // a load test measures the service, not its rate limits (ADR 0015)
                "--scoreboard.rate-limits.enabled=false");
    }

    private static ResultTable.Row latencyRow(String figure, double millis, String reference, double referenceMillis,
                                              boolean targeted) {
        return new ResultTable.Row(figure, millis, "ms", reference, referenceMillis, TARGET_P99_MILLIS,
                targeted ? ResultTable.Goal.AT_MOST : ResultTable.Goal.NONE, Double.NaN);
    }

    private static ResultTable.Row lagRow(String figure, double millis, boolean targeted) {
        return new ResultTable.Row(figure, millis, "ms", "—", Double.NaN, TARGET_LAG_P99_MILLIS,
                targeted ? ResultTable.Goal.AT_MOST : ResultTable.Goal.NONE, Double.NaN);
    }

    private static void requireNoFailures(String what, ClosedLoop.Result result) {
        if (result.latencies().errors() > 0 || result.latencies().count() == 0) {
            throw new IllegalStateException(what + " failed " + result.latencies().errors() + " times: " + result.firstFailure());
        }
    }

    /** The topic as the command service would create it, plus broker-side append times to read the lag from. */
    private static void createTopic(String bootstrap, String topic) throws Exception {
        NewTopic newTopic = EventTopicSettings.newTopic(topic, PARTITIONS, (short) 1, 1);
        Map<String, String> configs = new LinkedHashMap<>(newTopic.configs());
        configs.put("message.timestamp.type", "LogAppendTime");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1).configs(configs)))
                    .all().get(60, TimeUnit.SECONDS);
        }
    }

    private static void deleteTopic(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.deleteTopics(List.of(topic)).all().get(60, TimeUnit.SECONDS);
        }
    }

    /** The command service's runnable jar: -Dscoreboard.command-service.jar, else the one the build made. */
    static Path commandServiceJar() throws IOException {
        String configured = System.getProperty("scoreboard.command-service.jar");
        if (configured != null) {
            return Path.of(configured);
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of("command-service", "target"),
                "command-service-*-exec.jar")) {
            for (Path jar : jars) {
                return jar;
            }
        } catch (IOException e) {
            // reported below
        }
        throw new IllegalStateException("no command-service/target/command-service-*-exec.jar under "
                + Path.of("").toAbsolutePath() + ". Fix: run ./scoreboard bench from the repository root (it builds "
                + "the jar), or set -Dscoreboard.command-service.jar=<path>.");
    }
}
