package io.scoreboard.bench;

import io.scoreboard.infra.localstack.up.ServiceProcess;
import io.scoreboard.operator.cli.Console;
import io.scoreboard.operator.cli.Target;
import io.scoreboard.operator.readmodel.ReadModelTables;
import io.scoreboard.operator.rebuild.ReadModelRebuild;
import io.scoreboard.operator.rebuild.RebuildSource;
import io.scoreboard.projections.scoreboard.ReadModelRows;
import io.scoreboard.startup.EventStoreTables;
import io.scoreboard.testsupport.TestDatabases;
import io.scoreboard.testsupport.TestKafka;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * The 2020 incident replayed (issue 7, scenario 5): 300,000 boards with 3,000,000 events, served by
 * a running query service; then the read database is dropped. Measured: the time from the drop until
 * every sampled board is served again exactly as before (recreate the empty database, `rebuild` run
 * as the operator runs it, the query service resuming by itself), and the events lost (event store and
 * topic counted against what was written; every board of the rebuilt model compared with its row
 * before the drop; `verify` run at the end). The incident took 30 minutes and lost 7 hours.
 */
final class IncidentBenchmark {

    static final double TARGET_RECOVERY_SECONDS = 120;
    static final double INCIDENT_RECOVERY_SECONDS = 30 * 60;
    private static final int PARTITIONS = BenchStack.PARTITIONS;
    private static final int SAMPLED_BOARDS = 1_000;
    private static final List<String> CLI_JVM = List.of("-Xmx2g", "-XX:+ExitOnOutOfMemoryError");

    private final int boards;
    private final long events;

    IncidentBenchmark(int boards, long events) {
        this.boards = boards;
        this.events = events;
    }

    ResultTable run() throws Exception {
        SyntheticHistory history = new SyntheticHistory(boards, events);
        try (TestDatabases databases = TestDatabases.create("bench")) {
            String bootstrap = TestKafka.bootstrapServers();
            String topic = TestKafka.uniqueTopic("bench-incident");
            BenchStack.createTopic(bootstrap, topic, databases.environment());
            BenchStack.seed(databases, bootstrap, topic, history);

            String readUrl = databases.server().jdbcUrl(databases.readDatabase());
            Target target = new Target("bench", databases.eventsJdbcUrl(), readUrl, databases.ownerRole().user(),
                    databases.ownerRole().password(), bootstrap, topic, Optional.empty(), "benchmark");
            BenchStack.say("building the read model the incident will destroy …");
            new ReadModelRebuild(target, quietConsole(), Clock.systemUTC()).run(RebuildSource.KAFKA, Optional.empty());
            Map<UUID, String> before = boardChecksums(databases);
            require(before.size() == boards, "the read model holds " + before.size() + " boards, expected " + boards);

            int port = freePort();
            URI base = URI.create("http://127.0.0.1:" + port);
            try (ServiceProcess query = ServiceProcess.start("query-service",
                    BenchStack.jar("scoreboard.query-service.jar", "query-service", "query-service-*-exec.jar"), BenchStack.serviceJvm(),
                    BenchStack.queryServiceArgs(databases, port, bootstrap, topic), Map.of(), BenchStack.log("query-service"),
                    base.resolve("/actuator/health"), Duration.ofMinutes(2))) {
                List<UUID> sample = sample(before);
                Map<UUID, String> served = new HashMap<>();
                for (UUID board : sample) {
                    served.put(board, body(base, board).orElseThrow(() ->
                            new IllegalStateException("board " + board + " not served before the incident")));
                }
                BenchStack.say("the query service serves all " + String.format("%,d", boards) + " boards; " + sample.size()
                        + " sampled over HTTP");

                BenchStack.say("INCIDENT: the read database " + databases.readDatabase() + " is dropped");
                long dropped = System.nanoTime();
                databases.recreateReadDatabase(); // drop; then the deployment's bootstrap makes it empty and migrated
                long recreated = System.nanoTime();
                BenchStack.say("recreated empty in " + seconds(recreated - dropped) + " s; running ./scoreboard rebuild …");
                CliRun rebuild = runCli(databases, readUrl, bootstrap, topic, "rebuild", "--source", "kafka",
                        "--confirm", databases.environment());
                require(rebuild.exitCode() == 0, "rebuild exited with " + rebuild.exitCode() + "; see " + rebuild.log());
                long rebuilt = System.nanoTime();
                awaitServedAsBefore(base, served, Duration.ofMinutes(5));
                long servedAgain = System.nanoTime();
                double recoverySeconds = (servedAgain - dropped) / 1e9;
                BenchStack.say("all sampled boards served as before " + seconds(servedAgain - dropped) + " s after the drop");

                Map<UUID, String> after = boardChecksums(databases);
                long boardsDiffering = before.entrySet().stream()
                        .filter(e -> !e.getValue().equals(after.get(e.getKey()))).count() + Math.max(0,
                        after.size() - before.size());
                long eventsLost = eventsLost(databases, bootstrap, topic);
                BenchStack.say("checking with ./scoreboard verify …");
                long verifyStart = System.nanoTime();
                CliRun verify = runCli(databases, readUrl, bootstrap, topic, "verify");
                double verifySeconds = (System.nanoTime() - verifyStart) / 1e9;

                Map<String, Object> context = Machine.describe(databases);
                context.put("boards", boards);
                context.put("events", events);
                context.put("partitions", PARTITIONS);
                context.put("query service", "exec jar, own process, " + String.join(" ", BenchStack.serviceJvm()));
                context.put("operator CLI", "jar, own process, " + String.join(" ", CLI_JVM));
                context.put("phases (s)", phases(dropped, recreated, rebuilt, servedAgain));
                ResultTable table = new ResultTable("The 2020 incident replayed: read database dropped", context);
                double queryPeak = ProcessStats.peakRssMiB(query.pid());
                table.add(ResultTable.Row.atMost("drop → every board served", recoverySeconds, "s",
                        "the 2020 incident", INCIDENT_RECOVERY_SECONDS, TARGET_RECOVERY_SECONDS));
                table.add(ResultTable.Row.atMost("events lost", eventsLost, "events", "events written", events, 0));
                table.add(ResultTable.Row.atMost("boards not as before", boardsDiffering, "boards", "boards before the "
                        + "drop", boards, 0));
                context.put("peak RSS (MiB)", Map.of("query service", Math.round(queryPeak),
                        "rebuild (CLI)", Math.round(rebuild.peakRssMib()), "verify (CLI)", Math.round(verify.peakRssMib())));
                table.note("verify: exit " + verify.exitCode() + (verify.exitCode() == 0 ? " (everything agrees)"
                        : " (DIFFERENCES; see " + verify.log() + ")") + ".");
                table.note(String.format("Peak RSS: query service %.0f MiB, rebuild %.0f MiB, verify %.0f MiB.",
                        queryPeak, rebuild.peakRssMib(), verify.peakRssMib()));
                table.note("Phases: " + phases(dropped, recreated, rebuilt, servedAgain) + "; verify took "
                        + String.format("%.1f", verifySeconds) + " s (after the recovery, not counted in it).");
                return table;
            }
        }
    }

    private static Map<String, Object> phases(long dropped, long recreated, long rebuilt, long served) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("recreate empty database", round(recreated - dropped));
        m.put("rebuild (CLI process, end to end)", round(rebuilt - recreated));
        m.put("query service resumes", round(served - rebuilt));
        return m;
    }

    /** Every board's checksum (all its columns, participants and history) in the live read model. */
    private static Map<UUID, String> boardChecksums(TestDatabases databases) throws Exception {
        Map<UUID, String> sums = new HashMap<>();
        try (Connection c = BenchStack.owner(databases.server().jdbcUrl(databases.readDatabase()), databases)) {
            ReadModelTables.use(c);
            c.setAutoCommit(false);
            ReadModelRows.forEach(c, row -> sums.put(row.scoreboardId(), row.checksum()));
            c.commit();
        }
        return sums;
    }

    /** Events written minus events found, in the event store and in the topic (both must hold them all). */
    private long eventsLost(TestDatabases databases, String bootstrap, String topic) throws Exception {
        long inStore;
        try (Connection c = BenchStack.owner(databases.eventsJdbcUrl(), databases);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + EventStoreTables.EVENTS)) {
            rs.next();
            inStore = rs.getLong(1);
        }
        long inTopic = 0;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (int p = 0; p < PARTITIONS; p++) {
                request.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            for (var info : admin.listOffsets(request).all().get(60, TimeUnit.SECONDS).values()) {
                inTopic += info.offset();
            }
        }
        return Math.max(events - inStore, events - inTopic);
    }

    private static List<UUID> sample(Map<UUID, String> boards) {
        List<UUID> all = new ArrayList<>(boards.keySet());
        all.sort(null);
        List<UUID> sample = new ArrayList<>();
        int step = Math.max(1, all.size() / SAMPLED_BOARDS);
        for (int i = 0; i < all.size() && sample.size() < SAMPLED_BOARDS; i += step) {
            sample.add(all.get(i));
        }
        return sample;
    }

    /** Polls until every sampled board answers with the very body it had before the drop. */
    private static void awaitServedAsBefore(URI base, Map<UUID, String> served, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<UUID> pending = new ArrayList<>(served.keySet());
        while (!pending.isEmpty()) {
            List<UUID> still = new ArrayList<>();
            for (UUID board : pending) {
                if (!body(base, board).map(served.get(board)::equals).orElse(false)) {
                    still.add(board);
                }
            }
            pending = still;
            if (!pending.isEmpty()) {
                require(System.nanoTime() < deadline, pending.size() + " sampled boards are not served as before "
                        + "within " + timeout);
                Thread.sleep(100);
            }
        }
    }

    private static Optional<String> body(URI base, UUID board) throws IOException {
        HttpURLConnection c = (HttpURLConnection) base.resolve("/api/v1/scoreboards/" + board).toURL().openConnection();
        c.setConnectTimeout(2000);
        c.setReadTimeout(10_000);
        try {
            if (c.getResponseCode() != 200) {
                return Optional.empty();
            }
            return Optional.of(new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        } finally {
            c.disconnect();
        }
    }

    private record CliRun(int exitCode, double peakRssMib, String log) {}

    /** The operator CLI as an operator runs it: its own process, settings as flags. */
    private static CliRun runCli(TestDatabases databases, String readUrl, String bootstrap, String topic,
                                 String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(List.of("--environment", databases.environment(), "--events-url", databases.eventsJdbcUrl(),
                "--read-url", readUrl, "--db-user", databases.ownerRole().user(), "--db-password",
                databases.ownerRole().password(), "--kafka", bootstrap, "--topic", topic));
        Path log = BenchStack.log("operator-cli-" + command[0]);
        try (ServiceProcess cli = ServiceProcess.launch("operator-cli " + command[0],
                BenchStack.jar("scoreboard.operator-cli.jar", "projections/operator-cli", "operator-cli-*-SNAPSHOT.jar"), CLI_JVM, args, Map.of(), log)) {
            double peak = 0;
            while (cli.isAlive()) { // VmHWM only grows: the last reading before the exit is the peak
                peak = Math.max(peak, ProcessStats.peakRssMiB(cli.pid()));
                Thread.sleep(100);
            }
            return new CliRun(cli.awaitExit(Duration.ofMinutes(30)), peak, log.toString());
        }
    }

    private static Console quietConsole() {
        return new Console(System.out, System.err, false, false, new BufferedReader(new StringReader("")));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void require(boolean condition, String problem) {
        if (!condition) {
            throw new IllegalStateException(problem);
        }
    }

    private static double round(long nanos) {
        return Math.round(nanos / 1e8) / 10.0;
    }

    private static String seconds(long nanos) {
        return String.format("%.1f", nanos / 1e9);
    }
}
