package io.scoreboard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.scoreboard.infra.localstack.Ports;
import io.scoreboard.infra.localstack.up.ServiceProcess;
import io.scoreboard.testsupport.TestDatabases;
import io.scoreboard.testsupport.TestKafka;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Abuse (issue 13): what hostile traffic aimed at one board costs an honest client writing to other
 * boards. Both services run from their jars as their own processes with their rate limits ON (the
 * defaults of ADR 0015) and 127.0.0.1 as a trusted proxy, so every client of this JVM speaks for its
 * own address through {@code X-Forwarded-For}, as clients behind a proxy do: the honest clients are one
 * address, each flood another.
 *
 * <p>In one run: the honest clients' score-change throughput and latency (closed loop, 8 clients over
 * 100 boards) alone, then during each flood — wrong-token writes to one board from 64 connections; a
 * flood of board creations from one address; slow CSV export readers (connections that never read
 * the body) plus far-future {@code minPosition} waits against the query service — with a phase alone
 * before and after every flood. Each flood's figure is a ratio to the mean of the two phases alone
 * beside it (the event store's cost per write drifts over a run of many minutes, so a reference
 * measured minutes earlier or later is not the same system), with the flood's own request rate and the
 * statuses it got, and the CPU of this load generator beside the services'.
 */
final class AbuseBenchmark {

    /** Honest throughput during a flood, as a share of honest throughput alone (and p99 at most 1/0.8 of alone's). */
    static final double TARGET_RATIO = 0.8;
    static final int HONEST_CLIENTS = 8;
    static final int HONEST_BOARDS = 100;
    static final int PARTICIPANTS_PER_BOARD = 5;
    static final int WRONG_TOKEN_CONNECTIONS = 64;
    static final int CREATION_CONNECTIONS = 16;
    static final int SLOW_READER_THREADS = 16;
    static final int WAITING_READ_CONNECTIONS = 64;
    /**
     * The flooded board's history: rounds over 1,000 participants, 110 bytes a CSV row. 60 rounds give
     * 6.5 MB, more than the kernel buffers of a loopback connection hold (the sender's side autotunes up to
     * net.ipv4.tcp_wmem's maximum, 4 MB by default), so an export to a reader that does not read stalls.
     */
    static final int EXPORT_BOARD_PARTICIPANTS = 1_000;

    /** Addresses from the documentation ranges (RFC 5737), one per client population. */
    static final String HONEST = "192.0.2.10";
    static final String WRONG_TOKENS = "198.51.100.1";
    static final String CREATIONS = "198.51.100.2";
    static final String SLOW_EXPORTS = "198.51.100.3";
    static final String WAITS = "198.51.100.4";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final boolean quick;
    private final Duration warmUp;
    private final Duration floodSettle;
    private final Duration settle;
    private final Duration window;
    private final int exportRounds;

    AbuseBenchmark(boolean quick) {
        this.quick = quick;
        // The services start cold: at 15 s an honest write still cost three times its CPU of two minutes later.
        this.warmUp = Duration.ofSeconds(quick ? 4 : 60);
        // Each flood reaches code the honest load never ran (exports, parked refusals, waits): jstat showed the JIT
        // compiling ~3,000 methods for the query-side flood, still ~50 a second 20-45 s into it, a third of the
        // query service's CPU in a window that started 20 s in; a cost a running service pays once.
        this.floodSettle = Duration.ofSeconds(quick ? 2 : 45);
        // A phase alone after a flood: what the flood left (held refusals, open exports) is gone within seconds.
        this.settle = Duration.ofSeconds(quick ? 2 : 20);
        this.window = Duration.ofSeconds(quick ? 6 : 25);
        // --quick: a history that may fit in the buffers (exports need not stall); it checks the harness
        this.exportRounds = quick ? 15 : 60;
    }

    ResultTable run() throws Exception {
        Path commandJar = CommandBenchmark.commandServiceJar();
        Path queryJar = BenchStack.jar("scoreboard.query-service.jar", "query-service", "query-service-*-exec.jar");
        try (TestDatabases databases = TestDatabases.create("bench")) {
            String bootstrap = TestKafka.bootstrapServers();
            String topic = TestKafka.uniqueTopic("bench-abuse");
            BenchStack.createTopic(bootstrap, topic, databases.environment());
            try {
                int commandPort = Ports.findFree();
                int queryPort = Ports.findFree();
                BenchStack.say("starting the command service (:" + commandPort + ") and the query service (:" + queryPort
                        + "), rate limits on, 127.0.0.1 a trusted proxy …");
                AtomicReference<ServiceProcess> queryStarted = new AtomicReference<>();
                AtomicReference<RuntimeException> queryFailed = new AtomicReference<>();
                Thread queryStarter = new Thread(() -> {
                    try {
                        queryStarted.set(ServiceProcess.start("query-service", queryJar, BenchStack.serviceJvm(),
                                queryServiceArgs(databases, queryPort, bootstrap, topic), Map.of(),
                                BenchStack.log("query-service-abuse"),
                                URI.create("http://127.0.0.1:" + queryPort + "/actuator/health"), START_TIMEOUT));
                    } catch (RuntimeException e) {
                        queryFailed.set(e);
                    }
                }, "start-query-service");
                queryStarter.start();
                try (ServiceProcess command = ServiceProcess.start("command-service", commandJar, BenchStack.serviceJvm(),
                        commandServiceArgs(databases, commandPort, bootstrap, topic), Map.of(),
                        BenchStack.log("command-service-abuse"),
                        URI.create("http://127.0.0.1:" + commandPort + "/actuator/health"), START_TIMEOUT)) {
                    queryStarter.join();
                    if (queryFailed.get() != null) {
                        throw queryFailed.get();
                    }
                    try (ServiceProcess query = queryStarted.get()) {
                        return measure(databases, command, query, URI.create("http://127.0.0.1:" + commandPort),
                                URI.create("http://127.0.0.1:" + queryPort));
                    }
                } finally {
                    queryStarter.join();
                    if (queryStarted.get() != null) {
                        queryStarted.get().close();
                    }
                }
            } finally {
                BenchStack.deleteTopic(bootstrap, topic);
            }
        }
    }

    /** One measured phase: the honest load, and the flood beside it (null when alone). */
    /** @param readSide CPU of the query service and of the read database's backends, over the whole phase */
    private record Phase(String name, ClosedLoop.Result honest, Flood.Outcome flood, CpuUse.Sample readSide,
                         String loadAverage) {
        double queryServiceCores() {
            return readSide.service();
        }
    }

    /** The phases alone just before and just after a flood, its reference: their mean cancels a linear drift. */
    private record Neighbours(Phase before, Phase after) {
        double perSecond() {
            return (before.honest().latencies().perSecond() + after.honest().latencies().perSecond()) / 2;
        }

        double p99Millis() {
            return (before.honest().latencies().p99Millis() + after.honest().latencies().p99Millis()) / 2;
        }

        double commandCpuPerWrite() {
            return (before.honest().cpu().service() + after.honest().cpu().service()) / Math.max(1e-9, 2 * perSecond());
        }

        double readSideCores() {
            return (before.queryServiceCores() + before.readSide().database() + after.queryServiceCores()
                    + after.readSide().database()) / 2;
        }
    }

    private ResultTable measure(TestDatabases databases, ServiceProcess command, ServiceProcess query, URI commandBase,
                                URI queryBase) throws Exception {
        Map<String, Object> context = Machine.describe(databases);
        context.put("load average at start", ProcessStats.loadAverage());
        context.put("services", "command and query service exec jars, own processes, "
                + String.join(" ", BenchStack.serviceJvm()) + ", rate limits on with their defaults, "
                + "trusted proxy 127.0.0.1 (each client population has its own X-Forwarded-For)");
        context.put("honest clients", HONEST_CLIENTS + " closed-loop threads (JDK HttpClient, HTTP/1.1 keep-alive), "
                + "score changes to " + HONEST_BOARDS + " boards of " + PARTICIPANTS_PER_BOARD + " participants, from "
                + HONEST);
        context.put("flooders", "threads of this JVM on raw keep-alive sockets (prepared requests, status read, body "
                + "skipped), each its own connection, each flood from its own X-Forwarded-For; slow export readers: "
                + "sockets with a 4 KB receive buffer that read the head and never the body, kept open while the flood "
                + "lasts when their export started");
        context.put("window", "first phase alone: warm-up " + warmUp.toSeconds() + " s, " + window.toSeconds()
                + " s measured; each flood: " + floodSettle.toSeconds() + " s under the flood first, then "
                + window.toSeconds() + " s measured; alone after each flood: " + settle.toSeconds() + " s, then "
                + window.toSeconds() + " s measured");

        CommandApi honestApi = new CommandApi(commandBase, HONEST);
        List<CommandApi.Board> boards = createHonestBoards(commandBase);
        CommandApi.Board flooded = exportBoard(commandBase, queryBase);
        String floodedId = boardId(flooded);
        String otherBoardsToken = boards.get(0).scorekeeperAuthorization();
        context.put("flooded board", floodedId + ": " + EXPORT_BOARD_PARTICIPANTS + " participants, " + exportRounds
                + " rounds (" + String.format(Locale.ROOT, "%,d", EXPORT_BOARD_PARTICIPANTS * exportRounds)
                + " rows in its history export)");

        CpuUse cpu = new CpuUse(command.pid(), databases.eventsDatabase());
        CpuUse readSide = new CpuUse(query.pid(), databases.readDatabase());
        List<Phase> phases = new ArrayList<>();
        phases.add(phase("alone", null, warmUp, honestApi, boards, cpu, readSide));

        String wrongTokenPath = flooded.scoreChangesPrefix() + flooded.participantIds()[0] + "/score-changes";
        Flood wrongTokens = new Flood("wrong-token writes").http(WRONG_TOKEN_CONNECTIONS, commandBase.getPort(), () ->
                post(wrongTokenPath, WRONG_TOKENS, "{\"delta\":1000}",
                        // a real scorekeeper token of another board, or a made-up one
                        ThreadLocalRandom.current().nextBoolean() ? otherBoardsToken : "Bearer sbs_" + UUID.randomUUID()));
        phases.add(phase("wrong-token writes, 1 board, " + WRONG_TOKEN_CONNECTIONS + " conns", wrongTokens, floodSettle,
                honestApi, boards, cpu, readSide));
        phases.add(phase("alone, after wrong tokens", null, settle, honestApi, boards, cpu, readSide));

        byte[] create = post("/api/v1/scoreboards", CREATIONS, "{\"name\":\"Spam\",\"participants\":[\"x\"]}", null);
        Flood creations = new Flood("board creations").http(CREATION_CONNECTIONS, commandBase.getPort(), () -> create);
        phases.add(phase("board creations, 1 address, " + CREATION_CONNECTIONS + " conns", creations, floodSettle,
                honestApi, boards, cpu, readSide));
        phases.add(phase("alone, after creations", null, settle, honestApi, boards, cpu, readSide));

        byte[] wait = get("/api/v1/scoreboards/" + floodedId + "?minPosition=" + (Long.MAX_VALUE / 2), WAITS);
        Flood queryFlood = new Flood("slow exports + minPosition waits")
                .slowExportReaders(SLOW_READER_THREADS, queryBase.getPort(),
                        get("/api/v1/scoreboards/" + floodedId + "/history/export.csv", SLOW_EXPORTS))
                .http(WAITING_READ_CONNECTIONS, queryBase.getPort(), () -> wait);
        phases.add(phase("slow exports + minPosition waits", queryFlood, floodSettle, honestApi, boards, cpu,
                readSide));
        phases.add(phase("alone, after the query-side flood", null, settle, honestApi, boards, cpu, readSide));
        context.put("load average at end", ProcessStats.loadAverage());

        return table(context, phases);
    }

    private Phase phase(String name, Flood flood, Duration before, CommandApi honestApi, List<CommandApi.Board> boards,
                        CpuUse cpu, CpuUse readSide) throws Exception {
        BenchStack.say(name + ": " + (flood == null ? "" : "flood on, ") + before.toSeconds() + " s, then "
                + window.toSeconds() + " s measured, " + HONEST_CLIENTS + " honest clients …");
        if (flood != null) {
            flood.start();
        }
        CpuUse.Sample readSideBefore = readSide.sample();
        ClosedLoop.Result honest;
        Flood.Outcome outcome = null;
        try {
            honest = ClosedLoop.run("honest", HONEST_CLIENTS, before, window, i -> honestApi.scoreChanges(boards), cpu);
        } finally {
            if (flood != null) {
                outcome = flood.stop();
            }
        }
        CpuUse.Sample readSideUsed = readSide.sample().since(readSideBefore);
        double queryCores = readSideUsed.service();
        String load = ProcessStats.loadAverage();
        LatencySummary s = honest.latencies();
        BenchStack.say(String.format(Locale.ROOT, "  honest: %,.0f writes/s, p50 %.1f ms, p99 %.1f ms, %d failed; "
                        + "bench JVM %.2f cores, command service %.2f, query service %.2f, machine %.2f (load %s)",
                s.perSecond(), s.p50Millis(), s.p99Millis(), s.errors(), honest.cpu().client(), honest.cpu().service(),
                queryCores, honest.cpu().machineBusy(), load));
        if (s.errors() > 0) {
            BenchStack.say("  first honest failure: " + honest.firstFailure());
        }
        if (outcome != null) {
            BenchStack.say(String.format(Locale.ROOT, "  flood: %,.0f requests/s, statuses %s%s", outcome.perSecond(),
                    outcome.statuses(), outcome.failures() == 0 ? "" : ", " + outcome.failures()
                            + " without an answer (first: " + outcome.firstFailure() + ")"));
        }
        return new Phase(name, honest, outcome, readSideUsed, load);
    }

    private ResultTable table(Map<String, Object> context, List<Phase> phases) {
        ResultTable table = new ResultTable("Abuse: an honest client's writes to other boards during floods at one board",
                context);
        // Every flood is compared with the phases alone just before and just after it (their mean): a drift of the
        // whole system over the run (its cause is not known yet; BENCHMARKS.md) cancels out if it is linear.
        List<Phase> alonePhases = phases.stream().filter(p -> p.flood() == null).toList();
        table.add(new ResultTable.Row("alone: honest writes (mean of the " + alonePhases.size() + " phases alone)",
                alonePhases.stream().mapToDouble(p -> p.honest().latencies().perSecond()).average().orElse(0),
                "commands/s", "—", Double.NaN, 0, ResultTable.Goal.NONE, Double.NaN));
        for (int i = 0; i < phases.size(); i++) {
            Phase phase = phases.get(i);
            if (phase.flood() == null) {
                continue;
            }
            Neighbours alone = new Neighbours(phases.get(i - 1), phases.get(i + 1));
            LatencySummary s = phase.honest().latencies();
            table.add(new ResultTable.Row(phase.name() + ": honest writes", s.perSecond(), "commands/s",
                    "honest writes alone, before and after", alone.perSecond(), TARGET_RATIO * alone.perSecond(),
                    ResultTable.Goal.AT_LEAST, TARGET_RATIO));
            table.add(ResultTable.Row.atMost(phase.name() + ": honest p99", s.p99Millis(), "ms",
                    "honest p99 alone, before and after", alone.p99Millis(), alone.p99Millis() / TARGET_RATIO));
        }

        String format = "%-36s %9s %7s %7s %6s   %10s  %-34s   %6s %7s %7s %7s %8s %7s";
        table.note(String.format(Locale.ROOT, format, "phase", "honest/s", "p50", "p99", "errors", "flood/s",
                "flood's statuses", "bench", "command", "pg(ev)", "query", "pg(read)", "machine"));
        Map<String, Object> details = new LinkedHashMap<>();
        for (Phase phase : phases) {
            LatencySummary s = phase.honest().latencies();
            CpuUse.Sample c = phase.honest().cpu();
            Flood.Outcome f = phase.flood();
            table.note(String.format(Locale.ROOT, format, phase.name(), String.format(Locale.ROOT, "%,.0f", s.perSecond()),
                    ms(s.p50Millis()), ms(s.p99Millis()), s.errors(),
                    f == null ? "—" : String.format(Locale.ROOT, "%,.0f", f.perSecond()),
                    f == null ? "—" : f.statuses().toString() + (f.failures() == 0 ? "" : " +" + f.failures() + " unanswered"),
                    cores(c.client()), cores(c.service()), cores(c.database()), cores(phase.queryServiceCores()),
                    cores(phase.readSide().database()), cores(c.machineBusy())));
            Map<String, Object> detail = s.asMap();
            detail.put("cpuCores", Map.of("benchJvm", c.client(), "commandService", c.service(),
                    "eventsDatabaseBackends", c.database(), "queryService", phase.queryServiceCores(),
                    "readDatabaseBackends", phase.readSide().database(), "machine", c.machineBusy()));
            detail.put("loadAverageAfter", phase.loadAverage());
            if (f != null) {
                detail.put("flood", Map.of("requestsPerSecond", f.perSecond(), "statuses", f.statuses(),
                        "unanswered", f.failures()));
            }
            details.put(phase.name(), detail);
        }
        // What a flood request costs the service it hits, beside what an honest write costs it: the honest
        // writes' share is taken at the neighbouring phases alone's CPU per write (which includes the service's idle
        // background work).
        for (int i = 0; i < phases.size(); i++) {
            Phase phase = phases.get(i);
            Flood.Outcome f = phase.flood();
            if (f == null) {
                continue;
            }
            Neighbours alone = new Neighbours(phases.get(i - 1), phases.get(i + 1));
            boolean querySide = phase.name().startsWith("slow exports");
            double cores = querySide
                    ? phase.queryServiceCores() + phase.readSide().database() - alone.readSideCores()
                    : phase.honest().cpu().service() - phase.honest().latencies().perSecond() * alone.commandCpuPerWrite();
            table.note(String.format(Locale.ROOT, "%s: about %.0f µs of %s CPU per flood request (%.2f cores for "
                            + "%,.0f requests/s); an honest write alone beside it: %.0f µs of the command service's",
                    phase.name(), Math.max(0, cores) / Math.max(1e-9, f.perSecond()) * 1e6,
                    querySide ? "the query service's and the read database's" : "the command service's",
                    Math.max(0, cores), f.perSecond(), alone.commandCpuPerWrite() * 1e6));
        }
        table.note("latencies in ms; CPU in cores busy on average over the measured window (2 cores = 2.00): bench is "
                + "this JVM (honest clients AND flooders), pg(ev) the event store's backends; query and pg(read) (the "
                + "read database's backends) over the whole phase. Reference of a flood: the mean of the phases alone "
                + "just before and just after it; p99 target: at most that reference's / " + TARGET_RATIO + ".");
        if (quick) {
            table.note("--quick: short windows and a smaller export board; figures check the harness, not for comparing");
        }
        table.detail("phases", details);
        return table;
    }

    // --- set-up ------------------------------------------------------------------------------------

    /** 100 boards; the creation limit is per address (60 a minute), so they come from several, as many users would. */
    private static List<CommandApi.Board> createHonestBoards(URI commandBase) throws Exception {
        BenchStack.say("creating " + HONEST_BOARDS + " honest boards …");
        List<CommandApi.Board> boards = new ArrayList<>();
        int perAddress = 50;
        for (int from = 0; from < HONEST_BOARDS; from += perAddress) {
            CommandApi creator = new CommandApi(commandBase, "192.0.2." + (100 + from / perAddress));
            boards.addAll(creator.createBoards(Math.min(perAddress, HONEST_BOARDS - from), PARTICIPANTS_PER_BOARD, 8));
        }
        return boards;
    }

    /**
     * The flooded board, with a history whose CSV export does not fit in a connection's buffers, written
     * through the API (rounds of every participant), then waited for on the query side.
     */
    private CommandApi.Board exportBoard(URI commandBase, URI queryBase) throws Exception {
        BenchStack.say(String.format(Locale.ROOT, "creating the flooded board: %,d participants, %d rounds …",
                EXPORT_BOARD_PARTICIPANTS, exportRounds));
        long start = System.nanoTime();
        CommandApi.Board board = new CommandApi(commandBase, "192.0.2.99").createBoards(1, EXPORT_BOARD_PARTICIPANTS, 1)
                .get(0);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI rounds = commandBase.resolve("/api/v1/scoreboards/" + boardId(board) + "/rounds");
        long position = 0;
        for (int round = 0; round < exportRounds; round++) {
            StringBuilder body = new StringBuilder("{\"comment\":\"Round ").append(round).append("\",\"deltas\":{");
            for (int p = 0; p < board.participantIds().length; p++) {
                body.append(p == 0 ? "\"" : ",\"").append(board.participantIds()[p]).append("\":").append(1 + p % 7);
            }
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(rounds).timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json").header("Authorization", board.scorekeeperAuthorization())
                    .header("X-Forwarded-For", "192.0.2.99")
                    .POST(HttpRequest.BodyPublishers.ofString(body.append("}}").toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("a round on the flooded board answered " + response.statusCode() + ": "
                        + response.body());
            }
            position = JSON.readTree(response.body()).get("position").asLong();
        }
        // Read-your-writes for the last round: the export flood then meets a board the read side has complete.
        URI read = queryBase.resolve("/api/v1/scoreboards/" + boardId(board) + "?minPosition=" + position);
        for (int attempt = 0; ; attempt++) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(read).timeout(REQUEST_TIMEOUT)
                    .header("X-Forwarded-For", "192.0.2.99").GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                break;
            }
            if (response.statusCode() != 503 || attempt == 30) {
                throw new IOException("reading the flooded board back answered " + response.statusCode() + ": "
                        + response.body());
            }
        }
        BenchStack.say(String.format(Locale.ROOT, "  written and projected in %.1f s", (System.nanoTime() - start) / 1e9));
        return board;
    }

    private static String boardId(CommandApi.Board board) {
        String prefix = board.scoreChangesPrefix(); // /api/v1/scoreboards/{id}/participants/
        return prefix.substring("/api/v1/scoreboards/".length(), prefix.length() - "/participants/".length());
    }

    private static List<String> commandServiceArgs(TestDatabases databases, int port, String bootstrap, String topic) {
        List<String> args = new ArrayList<>(BenchStack.commandServiceConnections(databases, port, bootstrap, topic));
        // the point of this scenario: the limits as deployed, behind a proxy on this machine
        args.add("--scoreboard.rate-limits.enabled=true");
        args.add("--scoreboard.rate-limits.trusted-proxies=127.0.0.1");
        return args;
    }

    private static List<String> queryServiceArgs(TestDatabases databases, int port, String bootstrap, String topic) {
        List<String> args = new ArrayList<>(BenchStack.queryServiceArgs(databases, port, bootstrap, topic));
        args.removeIf(arg -> arg.startsWith("--scoreboard.rate-limits.enabled="));
        args.add("--scoreboard.rate-limits.enabled=true");
        args.add("--scoreboard.rate-limits.trusted-proxies=127.0.0.1");
        return args;
    }

    /** A request as the flooders send it: prepared bytes, keep-alive. */
    private static byte[] post(String path, String forwardedFor, String json, String authorization) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-For: " + forwardedFor + "\r\n"
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n" + json)
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] get(String pathAndQuery, String forwardedFor) {
        return ("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-For: " + forwardedFor
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static String ms(double millis) {
        return String.format(Locale.ROOT, "%.1f", millis);
    }

    private static String cores(double cores) {
        return String.format(Locale.ROOT, "%.2f", cores);
    }

    // --- floods ------------------------------------------------------------------------------------

    /**
     * Flooders on threads of this JVM, each sending its next request as soon as the last was answered,
     * counting answers by status. HTTP flooders each have their own client (their own connection); slow
     * export readers are raw sockets that read the status line and headers, never the body, and stay open
     * until the flood stops when their export started (200); a refused one is closed and the next opened.
     */
    static final class Flood {

        record Outcome(double perSecond, Map<Integer, Long> statuses, long failures, String firstFailure) {}

        @FunctionalInterface
        interface RequestMaker {
            byte[] next();
        }

        @FunctionalInterface
        private interface Attack {
            /** One request; its status, or -1 when it got no answer. */
            int send() throws Exception;
        }

        private final String name;
        private final List<Thread> threads = new ArrayList<>();
        private final Map<Integer, LongAdder> statuses = new ConcurrentSkipListMap<>();
        private final LongAdder failures = new LongAdder();
        private final AtomicReference<String> firstFailure = new AtomicReference<>();
        /** Every socket a flooder has open now (stalled exports, connections in use), closed when the flood stops. */
        private final java.util.Set<java.io.Closeable> open = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private volatile boolean running = true;
        private long startedAt;

        Flood(String name) {
            this.name = name;
        }

        /**
         * Flooders on raw keep-alive connections: prepared bytes out, the answer's status read and its body
         * skipped. A JDK HttpClient per flooder cost this JVM about a core at 1,200 requests/s on the
         * development machine, CPU the services then lacked; an attacker's own CPU is not what is measured.
         */
        Flood http(int connections, int port, RequestMaker requests) {
            for (int c = 0; c < connections; c++) {
                KeepAliveConnection connection = new KeepAliveConnection(port);
                open.add(connection);
                add(() -> connection.exchange(requests.next()));
            }
            return this;
        }

        Flood slowExportReaders(int threads, int queryPort, byte[] request) {
            for (int t = 0; t < threads; t++) {
                add(() -> {
                    Socket socket = new Socket();
                    open.add(socket);
                    try {
                        // A small window and no autotuning on this side: the rows pile up in the buffers, then stall.
                        socket.setReceiveBufferSize(4096);
                        socket.connect(new InetSocketAddress("127.0.0.1", queryPort), 5_000);
                        socket.setSoTimeout((int) REQUEST_TIMEOUT.toMillis());
                        socket.getOutputStream().write(request);
                        int status = status(socket.getInputStream());
                        if (status != 200) {
                            close(socket); // refused: nothing held; the next one is opened at once
                        }
                        return status;
                    } catch (IOException | RuntimeException e) {
                        close(socket);
                        throw e;
                    }
                });
            }
            return this;
        }

        private void add(Attack attack) {
            Thread thread = new Thread(() -> {
                while (running) {
                    try {
                        int status = attack.send();
                        statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
                    } catch (Exception e) {
                        if (running) {
                            failures.increment();
                            firstFailure.compareAndSet(null, e.toString());
                        }
                    }
                }
            }, "flood-" + name.replace(' ', '-') + "-" + threads.size());
            thread.setDaemon(true);
            threads.add(thread);
        }

        void start() {
            startedAt = System.nanoTime();
            threads.forEach(Thread::start);
        }

        Outcome stop() throws InterruptedException {
            running = false;
            long stoppedAt = System.nanoTime();
            // Closing the sockets ends the requests in flight (a minPosition wait would hold on for seconds).
            open.forEach(this::close);
            for (Thread thread : threads) {
                thread.join(REQUEST_TIMEOUT.toMillis());
            }
            open.forEach(this::close);
            Map<Integer, Long> counted = new LinkedHashMap<>();
            long total = 0;
            for (Map.Entry<Integer, LongAdder> e : statuses.entrySet()) {
                counted.put(e.getKey(), e.getValue().sum());
                total += e.getValue().sum();
            }
            return new Outcome(total / ((stoppedAt - startedAt) / 1e9), counted, failures.sum(), firstFailure.get());
        }

        private void close(java.io.Closeable socket) {
            open.remove(socket);
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a flooder's socket is best effort
            }
        }

        /** The status code from the status line, then the rest of the head: byte by byte, so no byte of the body. */
        private static int status(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("connection closed before the head ended: " + head);
                }
                head.append((char) b);
            }
            return Integer.parseInt(head.substring(head.indexOf(" ") + 1, head.indexOf(" ") + 4));
        }
    }

    /**
     * One HTTP/1.1 keep-alive connection that sends prepared requests and reads each answer's status,
     * skipping its body (Content-Length or chunked); reconnects when the server closes (Tomcat does after
     * 100 requests on a connection, or after an error).
     */
    static final class KeepAliveConnection implements java.io.Closeable {
        private final int port;
        private volatile Socket socket;
        private java.io.BufferedInputStream in;
        private java.io.OutputStream out;

        KeepAliveConnection(int port) {
            this.port = port;
        }

        int exchange(byte[] request) throws IOException {
            try {
                if (socket == null) {
                    Socket socket = new Socket();
                    this.socket = socket;
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                    socket.setSoTimeout((int) REQUEST_TIMEOUT.toMillis());
                    socket.setTcpNoDelay(true);
                    in = new java.io.BufferedInputStream(socket.getInputStream(), 8192);
                    out = socket.getOutputStream();
                }
                out.write(request);
                String statusLine = line();
                int status = Integer.parseInt(statusLine.substring(9, 12));
                long length = 0;
                boolean chunked = false;
                boolean close = false;
                for (String header = line(); !header.isEmpty(); header = line()) {
                    String lower = header.toLowerCase(Locale.ROOT);
                    if (lower.startsWith("content-length:")) {
                        length = Long.parseLong(lower.substring(15).trim());
                    } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                        chunked = true;
                    } else if (lower.startsWith("connection:") && lower.contains("close")) {
                        close = true;
                    }
                }
                if (chunked) {
                    for (long size = chunkSize(); size > 0; size = chunkSize()) {
                        skip(size + 2); // the chunk and its CRLF
                    }
                    while (!line().isEmpty()) {
                        // trailers
                    }
                } else {
                    skip(length);
                }
                if (close) {
                    close();
                }
                return status;
            } catch (IOException | RuntimeException e) {
                close();
                throw e;
            }
        }

        private long chunkSize() throws IOException {
            String size = line();
            int extension = size.indexOf(';');
            return Long.parseLong((extension < 0 ? size : size.substring(0, extension)).trim(), 16);
        }

        private void skip(long bytes) throws IOException {
            long left = bytes;
            while (left > 0) {
                long skipped = in.skip(left);
                if (skipped <= 0) {
                    if (in.read() < 0) {
                        throw new IOException("connection closed inside a body");
                    }
                    skipped = 1;
                }
                left -= skipped;
            }
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder(64);
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("connection closed by the server");
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }

        @Override
        public synchronized void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // already gone
                }
                socket = null;
            }
        }
    }
}
