package io.scoreboard.bench;

import io.scoreboard.bench.crud.CrudReference;
import io.scoreboard.infra.localstack.Ports;
import io.scoreboard.infra.localstack.up.ServiceProcess;
import io.scoreboard.startup.EventTopicSettings;
import io.scoreboard.testsupport.TestDatabases;
import io.scoreboard.testsupport.TestKafka;
import io.scoreboard.testsupport.TestKafkaCluster;
import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
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
 * Command throughput, latency, CPU per command, replication lag and the command service's memory
 * (issues 7 and 14): score changes over real HTTP, sent by {@code wrk} ({@link WrkLoad}), against the
 * command service running from its exec jar as its own process, on a real PostgreSQL event store and a real
 * Kafka broker — first in durability mode {@code replicated} (the default), then {@code local}. The same-run
 * reference is the history-less service this product replaces ({@link io.scoreboard.bench.crud.CrudReference}:
 * one {@code UPDATE … SET score = score + ?} per request, Spring Boot's defaults) on the same PostgreSQL,
 * loaded by the same script with the same shape, measured right after. A third run, replicated again, loads
 * boards that already hold a long history.
 */
final class CommandBenchmark {

    static final double TARGET_RATIO_TO_CRUD = 0.5;
    static final double TARGET_P99_MILLIS = 50;
    static final double TARGET_FEW_CLIENTS_P50_MILLIS = 10;
    static final double TARGET_CPU_MICROS_PER_COMMAND = 400;
    static final double TARGET_LAG_P99_MILLIS = 50;
    static final double TARGET_GENERATOR_SHARE = 0.15;
    static final int CLIENTS = 64;
    static final int FEW_CLIENTS = 8;
    static final int PARTICIPANTS_PER_BOARD = 10;
    private static final int PARTITIONS = BenchStack.PARTITIONS;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    private final int boards;
    /** Score changes each board of the long-history run holds before its load starts. */
    private final int historyPerBoard;
    private final Duration warmUp;
    private final Duration window;
    private final Duration fewClientsWindow;

    CommandBenchmark(boolean quick) {
        this.boards = quick ? 200 : 1_000;
        this.historyPerBoard = quick ? 200 : 1_000;
        // Each system runs in a freshly started JVM: the warm-up must let the JIT finish there (measured: the CRUD
        // reference still gained 47 % from its second 30 s of load to its fourth).
        this.warmUp = Duration.ofSeconds(quick ? 5 : 60);
        this.window = Duration.ofSeconds(quick ? 10 : 40);
        this.fewClientsWindow = Duration.ofSeconds(quick ? 5 : 15);
    }

    /** The names its tables' raw figures are written under, in the order {@link #run()} returns them. */
    static final List<String> TABLE_NAMES = List.of("commands-throughput", "commands-replication-lag", "commands-memory",
            "commands-storage");

    /** The four tables: throughput and latency, replication lag, memory, storage per event ({@link #TABLE_NAMES}). */
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
        context.put("load", "wrk, " + CLIENTS + " keep-alive connections (closed loop), a random (board, participant) "
                + "per request, delta 1-10; then " + FEW_CLIENTS + " connections");
        context.put("window", "warm-up " + warmUp.toSeconds() + " s, then " + window.toSeconds() + " s measured ("
                + fewClientsWindow.toSeconds() + " s at " + FEW_CLIENTS + " connections), per system");
        context.put("services", "own processes, " + String.join(" ", BenchStack.serviceJvm()));
        context.put("load average at start", ProcessStats.loadAverage());

        Phase replicated = runMode("replicated", jar, databases, bootstrap, topic, true);
        Phase local = runMode("local", jar, databases, bootstrap, topic, false);
        Phase longHistory = runLongHistory(jar, databases, bootstrap, topic);
        ThreeBrokers threeBrokers = runThreeBrokers(jar);
        Phase clustered = threeBrokers.phase();
        Phase crud = runCrudReference(databases);

        BenchStack.say("reading the topic for replication lag …");
        LatencySummary replicatedLag = ReplicationLag.measure(replicated.mode, bootstrap, topic, PARTITIONS,
                replicated.load.windowStartMillis(), replicated.load.windowEndMillis());
        LatencySummary localLag = ReplicationLag.measure(local.mode, bootstrap, topic, PARTITIONS,
                local.load.windowStartMillis(), local.load.windowEndMillis());
        LatencySummary longHistoryLag = ReplicationLag.measure(longHistory.mode, bootstrap, topic, PARTITIONS,
                longHistory.load.windowStartMillis(), longHistory.load.windowEndMillis());

        List<ResultTable> tables = new ArrayList<>();
        ResultTable throughput = new ResultTable("Command throughput (score changes over HTTP)", context);
        LatencySummary ref = crud.load.latencies();
        LatencySummary refFew = crud.fewClients.latencies();
        String refRate = "CRUD reference, " + CLIENTS + " conns";
        for (Phase phase : List.of(replicated, local, longHistory, clustered, crud)) {
            LatencySummary s = phase.load.latencies();
            context.put(phase.mode + ": load average during window", phase.loadDuring);
            context.put(phase.mode + ": failed requests in windows", s.errors() + phase.fewClients.latencies().errors());
            context.put(phase.mode + ": wrk's CPU, share of the machine (" + CLIENTS + " / " + FEW_CLIENTS + " conns)",
                    String.format("%.1f %% / %.1f %%", 100 * phase.load.wrkMachineShare(),
                            100 * phase.fewClients.wrkMachineShare()));
        }
        for (Phase phase : List.of(replicated, local, longHistory, clustered)) {
            LatencySummary s = phase.load.latencies();
            // local trades the second store for speed (README, the durability table): the targets are replicated's, on
            // new and long boards; three brokers is compared with one below
            boolean targeted = phase == replicated || phase == longHistory;
            throughput.add(new ResultTable.Row(phase.mode + ": acknowledged", s.perSecond(), "commands/s",
                    refRate, ref.perSecond(), 0, targeted ? ResultTable.Goal.AT_LEAST : ResultTable.Goal.NONE,
                    targeted ? TARGET_RATIO_TO_CRUD : Double.NaN));
            throughput.add(latencyRow(phase.mode + ": latency p50", s.p50Millis(), "CRUD p50", ref.p50Millis(),
                    ResultTable.Goal.NONE, TARGET_P99_MILLIS));
            throughput.add(latencyRow(phase.mode + ": latency p99", s.p99Millis(), "CRUD p99", ref.p99Millis(),
                    targeted ? ResultTable.Goal.AT_MOST : ResultTable.Goal.NONE, TARGET_P99_MILLIS));
            throughput.add(latencyRow(phase.mode + ": latency max", s.maxMillis(), "CRUD max", ref.maxMillis(),
                    ResultTable.Goal.NONE, TARGET_P99_MILLIS));
            throughput.add(new ResultTable.Row(phase.mode + ": service CPU per command", phase.cpuMicrosPerRequest(),
                    "µs", "CRUD CPU per update", crud.cpuMicrosPerRequest(), TARGET_CPU_MICROS_PER_COMMAND,
                    targeted ? ResultTable.Goal.AT_MOST : ResultTable.Goal.NONE, Double.NaN));
            LatencySummary few = phase.fewClients.latencies();
            throughput.add(latencyRow(phase.mode + ": " + FEW_CLIENTS + " clients, latency p50", few.p50Millis(),
                    "CRUD p50, " + FEW_CLIENTS + " conns", refFew.p50Millis(),
                    targeted ? ResultTable.Goal.AT_MOST : ResultTable.Goal.NONE, TARGET_FEW_CLIENTS_P50_MILLIS));
            throughput.add(new ResultTable.Row(phase.mode + ": " + FEW_CLIENTS + " clients, acknowledged",
                    few.perSecond(), "commands/s", "CRUD, " + FEW_CLIENTS + " conns", refFew.perSecond(), 0,
                    ResultTable.Goal.NONE, Double.NaN));
        }
        LatencySummary one = replicated.load.latencies();
        LatencySummary three = clustered.load.latencies();
        throughput.add(new ResultTable.Row("three brokers vs one: acknowledged", three.perSecond(), "commands/s",
                "replicated, one broker", one.perSecond(), 0, ResultTable.Goal.NONE, Double.NaN));
        throughput.add(latencyRow("three brokers vs one: latency p99", three.p99Millis(), "replicated p99, one broker",
                one.p99Millis(), ResultTable.Goal.NONE, TARGET_P99_MILLIS));
        throughput.add(new ResultTable.Row("three brokers vs one: service CPU per command", clustered.cpuMicrosPerRequest(),
                "µs", "replicated, one broker", replicated.cpuMicrosPerRequest(), Double.NaN, ResultTable.Goal.NONE,
                Double.NaN));
        throughput.add(ResultTable.Row.atMost("wrk's CPU, share of the machine (highest run)",
                100 * List.of(replicated, local, longHistory, clustered, crud).stream().mapToDouble(Phase::highestGeneratorShare).max()
                        .orElse(0), "%", "—", Double.NaN, 100 * TARGET_GENERATOR_SHARE));
        tables.add(throughput);

        Map<String, Object> lagContext = new LinkedHashMap<>();
        lagContext.put("measured", "broker append time (topic stamps LogAppendTime) minus the event's occurred-at "
                + "(stamped just before its PostgreSQL commit): commit-to-ack lag plus the insert and commit, ms resolution");
        lagContext.put("events measured (replicated / local / long history)", replicatedLag.count() + " / "
                + localLag.count() + " / " + longHistoryLag.count() + " (acknowledged commands in the windows: "
                + replicated.load.latencies().count() + " / " + local.load.latencies().count() + " / "
                + longHistory.load.latencies().count() + ")");
        lagContext.put("replication caught up after the load (replicated / local / long history)",
                String.format("%.1f s / %.1f s / %.1f s", replicated.catchUp.toMillis() / 1e3,
                        local.catchUp.toMillis() / 1e3, longHistory.catchUp.toMillis() / 1e3));
        ResultTable lag = new ResultTable("Replication lag under that load (PostgreSQL commit to Kafka ack)", lagContext);
        lag.add(lagRow("replicated: lag p50", replicatedLag.p50Millis(), false));
        lag.add(lagRow("replicated: lag p99", replicatedLag.p99Millis(), true));
        lag.add(lagRow("replicated: lag max", replicatedLag.maxMillis(), false));
        lag.add(lagRow("local: lag p50", localLag.p50Millis(), false));
        lag.add(lagRow("local: lag p99", localLag.p99Millis(), true));
        lag.add(lagRow("local: lag max", localLag.maxMillis(), false));
        lag.add(lagRow(longHistory.mode + ": lag p50", longHistoryLag.p50Millis(), false));
        lag.add(lagRow(longHistory.mode + ": lag p99", longHistoryLag.p99Millis(), true));
        lag.add(lagRow(longHistory.mode + ": lag max", longHistoryLag.maxMillis(), false));
        lag.add(lagRow(clustered.mode + ": lag p50", threeBrokers.lag().p50Millis(), false));
        lag.add(lagRow(clustered.mode + ": lag p99", threeBrokers.lag().p99Millis(), false));
        lag.add(lagRow(clustered.mode + ": lag max", threeBrokers.lag().maxMillis(), false));
        tables.add(lag);

        Map<String, Object> memoryContext = new LinkedHashMap<>();
        memoryContext.put("command service JVM", String.join(" ", BenchStack.serviceJvm()));
        memoryContext.put("why this heap", "the setting ./scoreboard up runs the services with; boards are kept "
                + "as committed (ADR 0012) up to scoreboard.commands.cache.max-weight (default 500,000 units, about "
                + "60-80 MB), so the live set is bounded and does not grow with the number of boards");
        memoryContext.put("measured", "VmHWM of the process (/proc/<pid>/status) at the end of each run: the peak "
                + "since that process started (board creation included in replicated)");
        ResultTable memory = new ResultTable("Memory of the command service", memoryContext);
        for (Phase phase : List.of(replicated, local, longHistory, clustered, crud)) {
            memory.add(new ResultTable.Row(phase.mode + ": peak RSS", phase.peakRssMiB, "MiB", "—", Double.NaN, 0,
                    ResultTable.Goal.NONE, Double.NaN));
        }
        tables.add(memory);
        tables.add(StorageFootprint.measure(databases, bootstrap, topic, PARTITIONS));
        return tables;
    }

    /** One system under the load: its measured run at 64 and at 8 connections, and the service's CPU in the first. */
    private record Phase(String mode, WrkLoad.Result load, WrkLoad.Result fewClients, String loadDuring,
                         double peakRssMiB, double serviceCpuSeconds, Duration catchUp) {

        double cpuMicrosPerRequest() {
            return serviceCpuSeconds * 1e6 / Math.max(1, load.latencies().count());
        }

        double highestGeneratorShare() {
            return Math.max(load.wrkMachineShare(), fewClients.wrkMachineShare());
        }
    }

    /** Writes stored per group-commit transaction (the command service's meter). */
    private static final String BATCH_METER = "scoreboard.commands.batch.writes";

    /** Created through the API in the first mode, scored in both and in the CRUD reference. */
    private List<CommandApi.Board> boardsMade;
    private WrkLoad load;

    /**
     * Replicated again, on new boards that each hold {@link #historyPerBoard} score changes before the load starts
     * (issue 14: "the same on boards that already hold 1,000+ events"). The boards are made through the API, their
     * history is appended by the bulk path while the service is stopped, and the restarted service replicates it
     * before the load; the warm-up is when each board's history is first read.
     */
    private Phase runLongHistory(Path jar, TestDatabases databases, String bootstrap, String topic) throws Exception {
        String mode = String.format("replicated, %,d-event boards", historyPerBoard);
        List<CommandApi.Board> longBoards;
        try (Service service = startService("replicated", jar, databases, bootstrap, topic)) {
            BenchStack.say(String.format("%s: creating %,d more boards through the API …", mode, boards));
            longBoards = service.api.createBoards(boards, PARTICIPANTS_PER_BOARD, CLIENTS);
            service.api.awaitReplicated(Duration.ofSeconds(120));
        }
        BenchStack.say(String.format("%s: appending %,d score changes to each (the bulk path, service stopped) …",
                mode, historyPerBoard));
        long start = System.nanoTime();
        long appended;
        try (Connection c = BenchStack.owner(databases.eventsJdbcUrl(), databases)) {
            appended = EventSeeding.appendScoreChanges(c, longBoards, historyPerBoard);
            // A million rows in seconds trips autovacuum's insert threshold at once, and its pass would run inside
            // the measured window; a real store gathers such a history over days, vacuumed as it grows.
            c.setAutoCommit(true);
            try (Statement vacuum = c.createStatement()) {
                vacuum.execute("VACUUM ANALYZE domain_event_entry");
            }
        }
        BenchStack.say(String.format("%s: %,d events appended in %.1f s", mode, appended,
                (System.nanoTime() - start) / 1e9));
        try (Service service = startService("replicated", jar, databases, bootstrap, topic)) {
            Duration sent = service.api.awaitReplicated(Duration.ofSeconds(600));
            BenchStack.say(String.format("%s: the restarted service replicated them in %.1f s", mode,
                    sent.toMillis() / 1e3));
            WrkLoad history = WrkLoad.scoreChanges(WrkLoad.targets(longBoards), Path.of("bench-results", "logs"));
            Phase phase = loadAndMeasure(mode, service.process, service.base, history);
            Duration catchUp = service.api.awaitReplicated(Duration.ofSeconds(120));
            return new Phase(mode, phase.load, phase.fewClients, phase.loadDuring, phase.peakRssMiB,
                    phase.serviceCpuSeconds, catchUp);
        }
    }

    /** The replicated run on a cluster of three brokers, and its replication lag read from that cluster's topic. */
    private record ThreeBrokers(Phase phase, LatencySummary lag) {}

    /**
     * Replicated again, against three brokers (replication factor 3, {@code min.insync.replicas} 2, as production runs
     * the topic; issue 15: "a commands run against three brokers beside one"): databases and boards of its own, so that
     * only the broker count differs from the first run. With acks=all each send waits for a second replica, and the
     * lag read from the leader's append time does not include that wait: the answer's latency does.
     */
    private ThreeBrokers runThreeBrokers(Path jar) throws Exception {
        String mode = "replicated, three brokers";
        BenchStack.say(mode + ": starting a Kafka cluster of three nodes …");
        try (TestDatabases databases = TestDatabases.create("bench3");
             TestKafkaCluster cluster = TestKafkaCluster.start(3)) {
            String bootstrap = cluster.bootstrapServers();
            String topic = TestKafka.uniqueTopic("bench-commands-3");
            createTopic(bootstrap, topic, (short) 3, 2);
            try (Service service = startService("replicated", jar, databases, bootstrap, topic,
                    List.of("--scoreboard.kafka.replication-factor=3", "--scoreboard.kafka.min-insync-replicas=2"))) {
                BenchStack.say(String.format("%s: creating %,d boards through the API …", mode, boards));
                List<CommandApi.Board> made = service.api.createBoards(boards, PARTICIPANTS_PER_BOARD, CLIENTS);
                service.api.awaitReplicated(Duration.ofSeconds(120));
                WrkLoad clusterLoad = WrkLoad.scoreChanges(WrkLoad.targets(made), Path.of("bench-results", "logs"));
                Phase phase = loadAndMeasure(mode, service.process, service.base, clusterLoad);
                Duration catchUp = service.api.awaitReplicated(Duration.ofSeconds(120));
                LatencySummary lag = ReplicationLag.measure(mode, bootstrap, topic, PARTITIONS,
                        phase.load.windowStartMillis(), phase.load.windowEndMillis());
                return new ThreeBrokers(new Phase(mode, phase.load, phase.fewClients, phase.loadDuring,
                        phase.peakRssMiB, phase.serviceCpuSeconds, catchUp), lag);
            }
        }
    }

    /** A running command service, its base address and its API. */
    private record Service(ServiceProcess process, URI base, CommandApi api) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            process.close();
        }
    }

    private Service startService(String mode, Path jar, TestDatabases databases, String bootstrap, String topic)
            throws Exception {
        return startService(mode, jar, databases, bootstrap, topic, List.of());
    }

    private Service startService(String mode, Path jar, TestDatabases databases, String bootstrap, String topic,
                                 List<String> extraArgs) throws Exception {
        int port = Ports.findFree();
        BenchStack.say("starting the command service (" + mode + ") on port " + port + " …");
        URI base = URI.create("http://127.0.0.1:" + port);
        ServiceProcess process = ServiceProcess.start("command-service", jar, BenchStack.serviceJvm(),
                concat(BenchStack.commandServiceArgs(databases, port, bootstrap, topic, mode), extraArgs), Map.of(),
                logFile("command-service-" + mode + (extraArgs.isEmpty() ? "" : "-three-brokers")),
                base.resolve("/actuator/health"), START_TIMEOUT);
        return new Service(process, base, new CommandApi(base));
    }

    /** Starts the command service in one durability mode, creates boards (first mode only), runs the load, stops it. */
    private Phase runMode(String mode, Path jar, TestDatabases databases, String bootstrap, String topic,
                          boolean createBoards) throws Exception {
        try (Service service = startService(mode, jar, databases, bootstrap, topic)) {
            CommandApi api = service.api;
            if (createBoards) {
                BenchStack.say(String.format("creating %,d boards with %d participants each through the API …", boards,
                        PARTICIPANTS_PER_BOARD));
                long start = System.nanoTime();
                boardsMade = api.createBoards(boards, PARTICIPANTS_PER_BOARD, CLIENTS);
                BenchStack.say(String.format("created in %.1f s", (System.nanoTime() - start) / 1e9));
                load = WrkLoad.scoreChanges(WrkLoad.targets(boardsMade), Path.of("bench-results", "logs"));
            }
            Phase phase = loadAndMeasure(mode, service.process, service.base, load);
            Duration catchUp = api.awaitReplicated(Duration.ofSeconds(120));
            BenchStack.say(String.format("%s: replication caught up %.1f s after the load", mode, catchUp.toMillis() / 1e3));
            return new Phase(mode, phase.load, phase.fewClients, phase.loadDuring, phase.peakRssMiB,
                    phase.serviceCpuSeconds, catchUp);
        }
    }

    /** The reference: the same boards and participants in one plain table, the same load, a CRUD service. */
    private Phase runCrudReference(TestDatabases databases) throws Exception {
        BenchStack.say("CRUD reference: one table of " + boards * PARTICIPANTS_PER_BOARD + " scores in the read "
                + "database, a plain Spring Boot service …");
        String url = databases.readJdbcUrl();
        try (Connection c = DriverManager.getConnection(url, databases.ownerRole().user(), databases.ownerRole().password());
             Statement create = c.createStatement()) {
            create.execute(CrudReference.TABLE);
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO crud_scores (board_id, participant_id) VALUES (?::uuid, ?::uuid)")) {
                for (CommandApi.Board b : boardsMade) {
                    String board = b.scoreChangesPrefix().split("/")[4];
                    for (String participant : b.participantIds()) {
                        insert.setString(1, board);
                        insert.setString(2, participant);
                        insert.addBatch();
                    }
                }
                insert.executeBatch();
            }
            create.execute("VACUUM ANALYZE crud_scores");
        }
        int port = Ports.findFree();
        try (ServiceProcess service = ServiceProcess.startMain("crud-reference", System.getProperty("java.class.path"),
                CrudReference.class.getName(), BenchStack.serviceJvm(), List.of("--server.port=" + port,
                        "--spring.datasource.url=" + url, "--spring.datasource.username=" + databases.ownerRole().user(),
                        "--spring.datasource.password=" + databases.ownerRole().password()),
                logFile("crud-reference"), URI.create("http://127.0.0.1:" + port + "/health"), START_TIMEOUT)) {
            return loadAndMeasure("CRUD", service, URI.create("http://127.0.0.1:" + port), load);
        }
    }

    /** Warm-up, the measured run at 64 connections (the service's CPU over it), then the run at 8. */
    private Phase loadAndMeasure(String mode, ServiceProcess service, URI base, WrkLoad load) throws Exception {
        BenchStack.say(mode + ": wrk, " + CLIENTS + " connections, warm-up " + warmUp.toSeconds() + " s, measuring "
                + window.toSeconds() + " s …");
        load.warmUp(base, CLIENTS, warmUp);
        CommandApi api = new CommandApi(base);
        double[] batchesBefore = api.summary(BATCH_METER);
        double serviceCpu = ProcessStats.cpuSeconds(service.pid());
        WrkLoad.Result measured = load.measure(base, CLIENTS, window);
        serviceCpu = ProcessStats.cpuSeconds(service.pid()) - serviceCpu;
        double[] batchesAfter = api.summary(BATCH_METER);
        if (batchesBefore != null && batchesAfter != null && batchesAfter[0] > batchesBefore[0]) {
            BenchStack.say(String.format("%s: %,.0f transactions of queued writes in the window, %.1f writes each "
                    + "(group commit, ADR 0029)", mode, batchesAfter[0] - batchesBefore[0],
                    (batchesAfter[1] - batchesBefore[1]) / (batchesAfter[0] - batchesBefore[0])));
        }
        String loadDuring = ProcessStats.loadAverage();
        BenchStack.say(mode + ": " + FEW_CLIENTS + " connections, measuring " + fewClientsWindow.toSeconds() + " s …");
        WrkLoad.Result few = load.measure(base, FEW_CLIENTS, fewClientsWindow);
        double peak = ProcessStats.peakRssMiB(service.pid());
        LatencySummary s = measured.latencies();
        BenchStack.say(String.format("%s: %,.0f requests/s, p50 %.1f ms, p99 %.1f ms, %d failed, %.0f µs service CPU "
                        + "each, wrk %.1f %% of the machine; %d connections: p50 %.1f ms (load %s)", mode, s.perSecond(),
                s.p50Millis(), s.p99Millis(), s.errors(), serviceCpu * 1e6 / Math.max(1, s.count()),
                100 * measured.wrkMachineShare(), FEW_CLIENTS, few.latencies().p50Millis(), loadDuring));
        if (s.errors() > 0 || few.latencies().errors() > 0) {
            BenchStack.say(mode + ": wrk's report:\n" + measured.output());
        }
        return new Phase(mode, measured, few, loadDuring, peak, serviceCpu, Duration.ZERO);
    }

    private static Path logFile(String name) {
        return Path.of("bench-results", "logs", name + "-" + Instant.now().toString().replace(':', '-') + ".log");
    }

    private static ResultTable.Row latencyRow(String figure, double millis, String reference, double referenceMillis,
                                              ResultTable.Goal goal, double targetMillis) {
        return new ResultTable.Row(figure, millis, "ms", reference, referenceMillis, targetMillis, goal, Double.NaN);
    }

    private static ResultTable.Row lagRow(String figure, double millis, boolean targeted) {
        return new ResultTable.Row(figure, millis, "ms", "—", Double.NaN, TARGET_LAG_P99_MILLIS,
                targeted ? ResultTable.Goal.AT_MOST : ResultTable.Goal.NONE, Double.NaN);
    }

    /** The topic as the command service would create it, plus broker-side append times to read the lag from. */
    private static void createTopic(String bootstrap, String topic) throws Exception {
        createTopic(bootstrap, topic, (short) 1, 1);
    }

    private static void createTopic(String bootstrap, String topic, short replicas, int minInsync) throws Exception {
        NewTopic newTopic = EventTopicSettings.newTopic(topic, PARTITIONS, replicas, minInsync);
        Map<String, String> configs = new LinkedHashMap<>(newTopic.configs());
        configs.put("message.timestamp.type", "LogAppendTime");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, replicas).configs(configs)))
                    .all().get(60, TimeUnit.SECONDS);
        }
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
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
