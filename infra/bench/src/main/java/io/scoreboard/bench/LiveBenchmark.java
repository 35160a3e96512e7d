package io.scoreboard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.scoreboard.infra.localstack.Ports;
import io.scoreboard.infra.localstack.up.ServiceProcess;
import io.scoreboard.testsupport.TestDatabases;
import io.scoreboard.testsupport.TestKafka;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Live streams under load (issue 16, "How it is measured"): how long a score change takes from its 2xx to the
 * viewers of its board, and whether every viewer gets every change exactly once. Both services run from their jars
 * as their own processes on a real PostgreSQL and a real Kafka broker, the command service {@code replicated}.
 *
 * <p>Boards of 10 participants are created through the command API; 20 viewers per board, each an SSE connection to
 * {@code GET /api/v1/scoreboards/{id}/live} held by {@link LiveViewers} (one NIO thread in this JVM), are all open
 * before the load starts (how long that takes and what it costs the query service's memory are measured). Then score
 * changes go to the command service open loop at a fixed rate, round robin over the boards, for a warm-up and a
 * measured window. Each command's 2xx time and answered position are kept; each viewer stamps every change's arrival
 * by position. Push latency is, for every (command, viewer of its board) pair, the arrival minus the 2xx. The
 * same-run reference is read-your-writes: for every tenth command a {@code GET …?minPosition=<position>} sent at its
 * 2xx; the time until it answers is what a client polling for the write would wait.
 */
final class LiveBenchmark {

    static final double TARGET_PUSH_P99_MILLIS = 100;
    /** The same bound as the wrk-driven scenarios' generator: this JVM must not be what limits the figures. */
    static final double TARGET_CLIENT_SHARE = 0.15;
    static final int PARTICIPANTS_PER_BOARD = 10;
    static final int VIEWERS_PER_BOARD = 20;
    static final int READ_YOUR_WRITES_EVERY = 10;
    /** Keep-alive connections sending the commands: enough that a slow answer does not hold the next slot back. */
    static final int COMMAND_CONNECTIONS = 64;
    /** Keep-alive connections sending the read-your-writes reads (a tenth of the commands, each maybe waiting). */
    static final int READ_CONNECTIONS = 32;
    /** The measured window's slices, each with its own push percentiles. */
    static final int SLICE_SECONDS = Integer.getInteger("scoreboard.bench.live.slice-seconds", 5);
    /** Connections opening at once: below Tomcat's accept queue (accept-count 100), so none waits for a SYN retry. */
    static final int OPENING_AT_ONCE = 50;
    /** Every viewer is this one address: the default (20 per address) would refuse all but 20 (docs/api.md, Limits). */
    static final String NO_PER_CLIENT_BOUND = "--scoreboard.live.max-streams-per-client=0";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The warm-up ends once neither service compiled more than this (5 % of a core) over the last span. */
    private static final double JIT_QUIET_MS_PER_SECOND = 50;
    private static final int JIT_QUIET_SPAN_SECONDS = 10;

    private final int boards;
    private final int viewersPerBoard;
    private final double commandsPerSecond;
    private final Duration warmUp;
    private final Duration maxWarmUp;
    private final Duration window;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    LiveBenchmark(boolean quick) {
        this.boards = quick ? 10 : 100;
        this.viewersPerBoard = Integer.getInteger("scoreboard.bench.live.viewers-per-board", VIEWERS_PER_BOARD);
        // 2 changes a second per board at full size; --quick sends the same total to its 10 boards (20 each), so that
        // the viewers' client takes as many messages a second as in a full run
        this.commandsPerSecond = Double.parseDouble(System.getProperty("scoreboard.bench.live.commands-per-second",
                "200"));
        // Both services start fresh. After 10 s of load the JIT was still compiling the live path: in a 90 s window
        // that followed 10 s of warm-up, push p99 by 5 s was 614 and 445 ms, then 14-293 ms (BENCHMARKS.md, "Live
        // streams"). On a slower machine C2 still took a third of both services' CPU 60-90 s after they started
        // (async-profiler, 2026-12-07), so the warm-up lasts at least this long and then until the JIT is quiet.
        this.warmUp = Duration.ofSeconds(Long.getLong("scoreboard.bench.live.warm-up-seconds", quick ? 3 : 30));
        this.maxWarmUp = Duration.ofSeconds(Math.max(warmUp.toSeconds(),
                Long.getLong("scoreboard.bench.live.max-warm-up-seconds", quick ? 3 : 240)));
        this.window = Duration.ofSeconds(Long.getLong("scoreboard.bench.live.window-seconds", quick ? 10 : 30));
    }

    ResultTable run() throws Exception {
        Path commandJar = CommandBenchmark.commandServiceJar();
        Path queryJar = BenchStack.jar("scoreboard.query-service.jar", "query-service", "query-service-*-exec.jar");
        try (TestDatabases databases = TestDatabases.create("bench")) {
            String bootstrap = TestKafka.bootstrapServers();
            String topic = TestKafka.uniqueTopic("bench-live");
            BenchStack.createTopic(bootstrap, topic, databases.environment());
            try {
                int commandPort = Ports.findFree();
                int queryPort = Ports.findFree();
                BenchStack.say("starting the command service (:" + commandPort + ", replicated) and the query service (:"
                        + queryPort + ", " + NO_PER_CLIENT_BOUND + ") …");
                AtomicReference<ServiceProcess> queryStarted = new AtomicReference<>();
                AtomicReference<RuntimeException> queryFailed = new AtomicReference<>();
                Thread queryStarter = new Thread(() -> {
                    try {
                        queryStarted.set(ServiceProcess.start("query-service", queryJar, BenchStack.serviceJvm(),
                                queryServiceArgs(databases, queryPort, bootstrap, topic), Map.of(),
                                BenchStack.log("query-service-live"),
                                URI.create("http://127.0.0.1:" + queryPort + "/actuator/health"), START_TIMEOUT));
                    } catch (RuntimeException e) {
                        queryFailed.set(e);
                    }
                }, "start-query-service");
                queryStarter.start();
                try (ServiceProcess command = ServiceProcess.start("command-service", commandJar, BenchStack.serviceJvm(),
                        BenchStack.commandServiceArgs(databases, commandPort, bootstrap, topic), Map.of(),
                        BenchStack.log("command-service-live"),
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

    private static List<String> queryServiceArgs(TestDatabases databases, int port, String bootstrap, String topic) {
        List<String> args = new ArrayList<>(BenchStack.queryServiceArgs(databases, port, bootstrap, topic));
        args.add(NO_PER_CLIENT_BOUND);
        return args;
    }

    /** The query service's memory at one moment: resident set and heap in use, after a full GC when jcmd is there. */
    private record Memory(double rssMiB, double heapMiB) {}

    private ResultTable measure(TestDatabases databases, ServiceProcess command, ServiceProcess query, URI commandBase,
                                URI queryBase) throws Exception {
        int viewerCount = boards * viewersPerBoard;
        Map<String, Object> context = Machine.describe(databases);
        context.put("load average at start", ProcessStats.loadAverage());
        context.put("services", "command service (replicated) and query service exec jars, own processes, "
                + String.join(" ", BenchStack.serviceJvm()) + ", rate limits off; the query service with "
                + NO_PER_CLIENT_BOUND + " (every viewer is 127.0.0.1; the default of 20 streams per address would "
                + "refuse the rest), max-streams at its default 2,000 (all the viewers, no more)");
        context.put("boards", boards + " x " + PARTICIPANTS_PER_BOARD + " participants, created through the command API");
        context.put("viewers", viewerCount + " (" + viewersPerBoard + " per board), each an HTTP/1.1 SSE connection "
                + "of one NIO thread in this JVM, all open (snapshot received) before the load; " + OPENING_AT_ONCE
                + " opening at once");
        context.put("load", String.format(Locale.ROOT, "%.0f score changes/s in all, open loop (each sent at its slot "
                + "whatever the answers take), round robin over the %d boards (%.1f/s each), random participant, delta "
                + "1-10, POST …/score-changes; " + COMMAND_CONNECTIONS + " keep-alive connections of this JVM (plain sockets) "
                + "take each command at its slot", commandsPerSecond, boards, commandsPerSecond / boards));
        context.put("window", (maxWarmUp.equals(warmUp) ? "warm-up " + warmUp.toSeconds() + " s (fixed)"
                : "warm-up at least " + warmUp.toSeconds() + " s, then until neither service's JIT compiled more than "
                + (int) JIT_QUIET_MS_PER_SECOND + " ms/s over " + JIT_QUIET_SPAN_SECONDS + " s "
                + "(jvm_compilation_time_ms_total; at most " + maxWarmUp.toSeconds() + " s)") + ", then "
                + window.toSeconds() + " s measured");
        context.put("push latency", "per (command, viewer of its board): the change's arrival at the viewer (stamped as "
                + "the socket read returns) minus the command's 2xx (stamped when its connection's thread has read the answer's last byte); "
                + "commands answered inside the window; nearest-rank percentiles over every pair");
        context.put("reference", "read-your-writes: for every " + READ_YOUR_WRITES_EVERY + "th command, GET "
                + "/api/v1/scoreboards/{id}?minPosition=<its position> sent at its 2xx; time until it answers 200");

        CommandApi api = new CommandApi(commandBase);
        BenchStack.say(String.format("creating %d boards with %d participants each through the API …", boards,
                PARTICIPANTS_PER_BOARD));
        List<CommandApi.Board> made = api.createBoards(boards, PARTICIPANTS_PER_BOARD, 16);
        String[] boardIds = made.stream().map(LiveBenchmark::boardId).toArray(String[]::new);
        awaitProjected(queryBase, boardIds);

        Memory before = memory(query, queryBase);
        BenchStack.say(String.format(Locale.ROOT, "query service before the viewers: RSS %.1f MiB, heap used %.1f MiB",
                before.rssMiB(), before.heapMiB()));
        List<Integer> viewerBoards = new ArrayList<>();
        List<String> viewerPaths = new ArrayList<>();
        for (int v = 0; v < viewerCount; v++) {
            viewerBoards.add(v % boards);
            viewerPaths.add("/api/v1/scoreboards/" + boardIds[v % boards] + "/live");
        }
        BenchStack.say(String.format("opening %,d viewers (%d per board) …", viewerCount, viewersPerBoard));
        try (LiveViewers viewers = new LiveViewers(queryBase.getHost(), queryBase.getPort())) {
            Duration opened = viewers.open(viewerBoards, viewerPaths, OPENING_AT_ONCE, OPEN_TIMEOUT);
            if (viewers.failed() > 0) {
                throw new IllegalStateException(viewers.failed() + " of " + viewerCount + " viewers could not open "
                        + "their stream; first: " + viewers.firstFailure());
            }
            BenchStack.say(String.format(Locale.ROOT, "%,d viewers open in %.2f s", viewerCount, opened.toMillis() / 1e3));
            Thread.sleep(2_000);
            Memory with = memory(query, queryBase);
            String metricsBefore = prometheus(queryBase);
            double streamsOpen = metric(metricsBefore, "scoreboard_live_streams", null);
            BenchStack.say(String.format(Locale.ROOT, "query service with them: RSS %.1f MiB, heap used %.1f MiB; "
                    + "scoreboard_live_streams %.0f", with.rssMiB(), with.heapMiB(), streamsOpen));

            CpuUse queryCpu = new CpuUse(query.pid(), databases.readDatabase());
            CpuUse commandCpu = new CpuUse(command.pid(), databases.eventsDatabase());
            Load load = load(made, boardIds, commandBase, queryBase, queryCpu, commandCpu);
            Duration drained = drain(viewers, load);
            String metricsAfter = prometheus(queryBase);
            context.put("load average at end", ProcessStats.loadAverage());
            viewers.close();
            return table(context, viewers, load, opened, drained, before, with, streamsOpen, metricsBefore,
                    metricsAfter);
        }
    }

    /** Every command sent: its board, when it was answered and with what, and its read-your-writes sample. */
    private static final class Commands {
        final int[] board;
        final long[] sent;
        final long[] answered;
        final int[] status;
        final long[] position;
        final long[] readAnswered;
        final int[] readStatus;
        volatile String firstFailure;
        /** How many slots the dispatcher handed out (the rest of the arrays is unused); set before it ends. */
        volatile int sentCount;

        Commands(int count) {
            board = new int[count];
            sent = new long[count];
            answered = new long[count];
            status = new int[count];
            position = new long[count];
            readAnswered = new long[count];
            readStatus = new int[count];
            Arrays.fill(position, -1);
        }

        int count() {
            return sentCount;
        }

        boolean ok(int i) {
            return status[i] == 200 && position[i] >= 0;
        }

        void failed(String why) {
            if (firstFailure == null) {
                firstFailure = why;
            }
        }
    }

    /** The load as sent: every command, the window's bounds (nanoTime), CPU over the window, sends that left late. */
    private record Load(Commands commands, long windowStart, long windowEnd, CpuUse.Sample query,
                        CpuUse.Sample command, long late, LatencySummary lateness, Duration warmedUp,
                        double queryJitMsPerSecond, double commandJitMsPerSecond) {}

    private Load load(List<CommandApi.Board> made, String[] boardIds, URI commandBase, URI queryBase, CpuUse queryCpu,
                      CpuUse commandCpu) throws Exception {
        long interval = Math.round(1e9 / commandsPerSecond);
        int capacity = (int) ((maxWarmUp.toNanos() + window.toNanos()) / interval) + 1;
        Commands commands = new Commands(capacity);
        long start = System.nanoTime() + 200_000_000L;
        // the dispatcher sends every slot before this; set once the warm-up has ended
        AtomicLong sendUntil = new AtomicLong(start + maxWarmUp.toNanos() + window.toNanos());
        BlockingQueue<Integer> due = new LinkedBlockingQueue<>();
        BlockingQueue<Integer> reads = new LinkedBlockingQueue<>();
        BenchStack.say(String.format(Locale.ROOT, "score changes: %.0f/s open loop, warm-up %d s and then until both "
                + "services' JIT is quiet (at most %d s), %d s measured …", commandsPerSecond, warmUp.toSeconds(),
                maxWarmUp.toSeconds(), window.toSeconds()));
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < COMMAND_CONNECTIONS; t++) {
            threads.add(worker("live-bench-command-" + t, due, commandBase, index -> {
                int b = index % made.size();
                CommandApi.Board board = made.get(b);
                String participant = board.participantIds()[ThreadLocalRandom.current().nextInt(PARTICIPANTS_PER_BOARD)];
                return PlainHttpConnection.request("POST", board.scoreChangesPrefix() + participant + "/score-changes",
                        hostOf(commandBase), new String[] {"Authorization: " + board.scorekeeperAuthorization()},
                        "{\"delta\":" + (1 + ThreadLocalRandom.current().nextInt(10)) + "}");
            }, (index, answer, sent, answered) -> {
                commands.board[index] = index % made.size();
                commands.sent[index] = sent;
                commands.answered[index] = answered;
                commands.status[index] = answer == null ? -1 : answer.status();
                if (answer == null || answer.status() != 200) {
                    commands.failed(answer == null ? "no answer" : answer.status() + " " + answer.body());
                    return;
                }
                try {
                    commands.position[index] = JSON.readTree(answer.body()).get("position").asLong();
                } catch (IOException | RuntimeException parse) {
                    commands.failed("an answer without a position: " + answer.body());
                    return;
                }
                if (index % READ_YOUR_WRITES_EVERY == 0) {
                    reads.add(index);
                }
            }));
        }
        for (int t = 0; t < READ_CONNECTIONS; t++) {
            threads.add(worker("live-bench-read-" + t, reads, queryBase, index -> PlainHttpConnection.request("GET",
                    "/api/v1/scoreboards/" + boardIds[index % made.size()] + "?minPosition=" + commands.position[index],
                    hostOf(queryBase), new String[] {"Accept: application/json"}, null),
                    (index, answer, sent, answered) -> {
                        commands.readAnswered[index] = answered;
                        commands.readStatus[index] = answer == null ? -1 : answer.status();
                    }));
        }
        threads.forEach(Thread::start);
        Thread dispatcher = new Thread(() -> {
            for (int i = 0; i < capacity; i++) {
                long slot = start + i * interval;
                if (slot >= sendUntil.get()) {
                    commands.sentCount = i;
                    return;
                }
                long now;
                while ((now = System.nanoTime()) < slot) {
                    LockSupport.parkNanos(slot - now);
                }
                due.add(i);
            }
            commands.sentCount = capacity;
        }, "live-bench-dispatcher");
        dispatcher.start();
        long windowStart = warmUp(start, queryBase, commandBase);
        long windowEnd = windowStart + window.toNanos();
        BenchStack.say(String.format(Locale.ROOT, "window: %s + %d s (warm-up %.0f s)", java.time.LocalTime.now(),
                window.toSeconds(), (windowStart - start) / 1e9));
        sendUntil.set(windowEnd);
        double queryJitBefore = jitMillis(queryBase);
        double commandJitBefore = jitMillis(commandBase);
        CpuUse.Sample queryBefore = queryCpu.sample();
        CpuUse.Sample commandBefore = commandCpu.sample();
        sleepUntil(windowEnd);
        CpuUse.Sample queryUsed = queryCpu.sample().since(queryBefore);
        CpuUse.Sample commandUsed = commandCpu.sample().since(commandBefore);
        double queryJit = (jitMillis(queryBase) - queryJitBefore) / window.toSeconds();
        double commandJit = (jitMillis(commandBase) - commandJitBefore) / window.toSeconds();
        dispatcher.join();
        int count = commands.count();
        // each command thread takes one -1 after the last command (the queue is FIFO); joined, their writes are seen
        // here, and every read they asked for is queued before the readers' -1s
        for (int i = 0; i < COMMAND_CONNECTIONS; i++) {
            due.add(-1);
        }
        joinAll(threads.subList(0, COMMAND_CONNECTIONS));
        for (int i = 0; i < READ_CONNECTIONS; i++) {
            reads.add(-1);
        }
        joinAll(threads.subList(COMMAND_CONNECTIONS, threads.size()));
        long late = 0;
        long[] lateness = new long[count];
        for (int i = 0; i < count; i++) {
            lateness[i] = commands.sent[i] - (start + i * interval);
            late += lateness[i] > 1_000_000 ? 1 : 0;
        }
        return new Load(commands, windowStart, windowEnd, queryUsed, commandUsed, late,
                LatencySummary.of(lateness, 0, windowEnd - start), Duration.ofNanos(windowStart - start), queryJit,
                commandJit);
    }

    /**
     * Waits out the warm-up: at least {@code warmUp}, then until neither service's JIT compiled for more than
     * {@link #JIT_QUIET_MS_PER_SECOND} over the last {@link #JIT_QUIET_SPAN_SECONDS} s, at most {@code maxWarmUp}.
     * Returns the window's start (nanoTime). A service that restarts its JIT mid-run only makes the warm-up longer.
     */
    private long warmUp(long start, URI queryBase, URI commandBase) throws Exception {
        long minEnd = start + warmUp.toNanos();
        long maxEnd = start + maxWarmUp.toNanos();
        if (maxEnd <= minEnd) {
            sleepUntil(minEnd);
            return minEnd;
        }
        Deque<double[]> samples = new ArrayDeque<>(); // {nanoTime, query JIT ms, command JIT ms}
        while (true) {
            long now = System.nanoTime();
            samples.addLast(new double[] {now, jitMillis(queryBase), jitMillis(commandBase)});
            while (samples.size() > JIT_QUIET_SPAN_SECONDS + 1) {
                samples.removeFirst();
            }
            double[] first = samples.peekFirst();
            double[] last = samples.peekLast();
            double seconds = (last[0] - first[0]) / 1e9;
            boolean quiet = seconds >= JIT_QUIET_SPAN_SECONDS - 0.5
                    && (last[1] - first[1]) / seconds <= JIT_QUIET_MS_PER_SECOND
                    && (last[2] - first[2]) / seconds <= JIT_QUIET_MS_PER_SECOND;
            if (now >= minEnd && quiet || now >= maxEnd) {
                return now;
            }
            sleepUntil(Math.min(maxEnd, now + 1_000_000_000L));
        }
    }

    /** A service's time spent compiling since it started (Micrometer's jvm.compilation.time), in ms. */
    private double jitMillis(URI base) throws Exception {
        double ms = metric(prometheus(base), "jvm_compilation_time_ms_total", null);
        if (Double.isNaN(ms)) {
            throw new IllegalStateException(base + "/actuator/prometheus has no jvm_compilation_time_ms_total");
        }
        return ms;
    }

    /** What a worker sends for an index. */
    @FunctionalInterface
    private interface RequestFor {
        byte[] request(int index);
    }

    /** What a worker does with an index's answer (null: none came) and the nanoTimes it was sent and answered. */
    @FunctionalInterface
    private interface OnAnswer {
        void answered(int index, PlainHttpConnection.Answer answer, long sent, long answered);
    }

    /** A thread with one keep-alive connection, sending one request per index it takes, until it takes -1. */
    private static Thread worker(String name, BlockingQueue<Integer> work, URI base, RequestFor requestFor,
                                 OnAnswer onAnswer) {
        Thread thread = new Thread(() -> {
            try (PlainHttpConnection connection = new PlainHttpConnection(base.getHost(), base.getPort(),
                    (int) REQUEST_TIMEOUT.toMillis())) {
                while (true) {
                    int index = work.take();
                    if (index < 0) {
                        return;
                    }
                    byte[] request = requestFor.request(index);
                    long sent = System.nanoTime();
                    PlainHttpConnection.Answer answer;
                    try {
                        answer = connection.exchange(request);
                    } catch (IOException e) {
                        answer = null;
                    }
                    onAnswer.answered(index, answer, sent, System.nanoTime());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        thread.setDaemon(true);
        return thread;
    }

    /** Joins every thread; each request is bounded by its socket timeout, so this ends. */
    private static void joinAll(List<Thread> threads) throws InterruptedException {
        for (Thread thread : threads) {
            thread.join(REQUEST_TIMEOUT.toMillis() * 4);
            if (thread.isAlive()) {
                throw new IllegalStateException(thread.getName() + " still waits for an answer after "
                        + REQUEST_TIMEOUT.toSeconds() * 4 + " s");
            }
        }
    }

    private static String hostOf(URI base) {
        return base.getHost() + ":" + base.getPort();
    }

    /** Waits until every viewer has reached its board's last answered position; returns how long after the load. */
    private static Duration drain(LiveViewers viewers, Load load) throws InterruptedException {
        Commands c = load.commands();
        long[] last = new long[viewers.viewers().stream().mapToInt(v -> v.board).max().orElse(0) + 1];
        Arrays.fill(last, -1);
        for (int i = 0; i < c.count(); i++) {
            if (c.ok(i)) {
                last[c.board[i]] = Math.max(last[c.board[i]], c.position[i]);
            }
        }
        long start = System.nanoTime();
        long deadline = start + DRAIN_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (LiveViewers.Viewer v : viewers.viewers()) {
                if (!v.ended && v.lastPosition < last[v.board]) {
                    all = false;
                    break;
                }
            }
            if (all) {
                break;
            }
            Thread.sleep(20);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        BenchStack.say(String.format(Locale.ROOT, "viewers caught up %.2f s after the last answer", took.toMillis() / 1e3));
        return took;
    }

    private ResultTable table(Map<String, Object> context, LiveViewers viewers, Load load, Duration opened,
                              Duration drained, Memory before, Memory with, double streamsOpen, String metricsBefore,
                              String metricsAfter) {
        Commands c = load.commands();
        List<List<LiveViewers.Viewer>> byBoard = new ArrayList<>();
        for (int b = 0; b < boards; b++) {
            byBoard.add(new ArrayList<>());
        }
        for (LiveViewers.Viewer v : viewers.viewers()) {
            byBoard.get(v.board).add(v);
        }
        long missed = 0;
        long acknowledged = 0;
        long failedCommands = 0;
        long inWindow = 0;
        long[] pairs = new long[c.count() * viewersPerBoard];
        // the window in slices, to show whether the latency still falls as the services warm up
        int slices = (int) Math.max(1, window.toSeconds() / SLICE_SECONDS);
        long sliceNanos = (load.windowEnd() - load.windowStart()) / slices;
        long[][] bySlice = new long[slices][c.count() * viewersPerBoard / slices + viewersPerBoard * 64];
        int[] sliceCount = new int[slices];
        long[][] readsBySlice = new long[slices][c.count() / READ_YOUR_WRITES_EVERY + 1];
        int[] readSliceCount = new int[slices];
        int pairCount = 0;
        long[] lastViewer = new long[c.count()];
        int lastViewerCount = 0;
        long[] reads = new long[c.count()];
        int readCount = 0;
        long readErrors = 0;
        long early = 0;
        for (int i = 0; i < c.count(); i++) {
            if (!c.ok(i)) {
                failedCommands++;
                continue;
            }
            acknowledged++;
            boolean measured = c.answered[i] >= load.windowStart() && c.answered[i] < load.windowEnd();
            inWindow += measured ? 1 : 0;
            long slowest = Long.MIN_VALUE;
            boolean all = true;
            for (LiveViewers.Viewer v : byBoard.get(c.board[i])) {
                long arrival = v.sequence.arrivalOf(c.position[i]);
                if (arrival == Long.MIN_VALUE) {
                    missed++;
                    all = false;
                } else if (measured) {
                    long latency = arrival - c.answered[i];
                    early += latency < 0 ? 1 : 0;
                    pairs[pairCount++] = latency;
                    int slice = (int) Math.min(slices - 1, (c.answered[i] - load.windowStart()) / sliceNanos);
                    if (sliceCount[slice] == bySlice[slice].length) {
                        bySlice[slice] = Arrays.copyOf(bySlice[slice], bySlice[slice].length * 2);
                    }
                    bySlice[slice][sliceCount[slice]++] = latency;
                    slowest = Math.max(slowest, latency);
                }
            }
            if (measured && all) {
                lastViewer[lastViewerCount++] = slowest;
            }
            if (measured && i % READ_YOUR_WRITES_EVERY == 0) {
                if (c.readStatus[i] == 200) {
                    reads[readCount++] = c.readAnswered[i] - c.answered[i];
                    int slice = (int) Math.min(slices - 1, (c.answered[i] - load.windowStart()) / sliceNanos);
                    readsBySlice[slice][readSliceCount[slice]++] = c.readAnswered[i] - c.answered[i];
                } else {
                    readErrors++;
                }
            }
        }
        long windowNanos = load.windowEnd() - load.windowStart();
        LatencySummary push = LatencySummary.of(Arrays.copyOf(pairs, pairCount), 0, windowNanos);
        LatencySummary pushLast = LatencySummary.of(Arrays.copyOf(lastViewer, lastViewerCount), 0, windowNanos);
        LatencySummary readYourWrites = LatencySummary.of(Arrays.copyOf(reads, readCount), readErrors, windowNanos);
        long repeated = 0;
        long skipped = 0;
        long extraSnapshots = 0;
        long beforeSnapshot = 0;
        long protocolErrors = 0;
        long unexpected = 0;
        long heartbeats = 0;
        long retryAsDocumented = 0;
        String firstProtocolError = null;
        long[] openLatencies = new long[viewers.viewers().size()];
        int o = 0;
        for (LiveViewers.Viewer v : viewers.viewers()) {
            repeated += v.sequence.repeated();
            skipped += v.sequence.skippedVersions();
            extraSnapshots += Math.max(0, v.sequence.snapshots() - 1);
            beforeSnapshot += v.sequence.beforeSnapshot();
            protocolErrors += v.protocolErrors;
            unexpected += v.unexpectedEvents;
            heartbeats += v.comments();
            retryAsDocumented += v.retryMillis() == 2000 ? 1 : 0;
            if (firstProtocolError == null && v.firstProtocolError != null) {
                firstProtocolError = "viewer " + v.index + ": " + v.firstProtocolError;
            }
            openLatencies[o++] = v.snapshotNanos - v.connectNanos;
        }
        LatencySummary opening = LatencySummary.of(openLatencies, 0, opened.toNanos());
        double droppedSlow = delta(metricsBefore, metricsAfter, "scoreboard_live_ended_total", "reason=\"slow\"");
        double endedAll = delta(metricsBefore, metricsAfter, "scoreboard_live_ended_total", null);
        double changesPushed = delta(metricsBefore, metricsAfter, "scoreboard_live_changes_total", null);
        double serverPushCount = delta(metricsBefore, metricsAfter, "scoreboard_live_push_latency_seconds_count", null);
        double serverPushSum = delta(metricsBefore, metricsAfter, "scoreboard_live_push_latency_seconds_sum", null);
        double serverPushP99 = metric(metricsAfter, "scoreboard_live_push_latency_seconds", "quantile=\"0.99\"");
        int viewerCount = viewers.viewers().size();
        int cores = Runtime.getRuntime().availableProcessors();
        double clientShare = load.query().client() / cores;

        context.put("commands", String.format(Locale.ROOT, "%,d sent, %,d answered 200 with a position, %,d failed "
                + "(first: %s), %,d answered inside the window; %,d sent more than 1 ms after their slot (lateness p99 "
                + "%.1f ms, max %.1f ms)", c.count(), acknowledged, failedCommands,
                c.firstFailure == null ? "none" : c.firstFailure, inWindow, load.late(), load.lateness().p99Millis(),
                load.lateness().maxMillis()));
        String warmUpEnd = maxWarmUp.equals(warmUp) ? "fixed"
                : load.warmedUp().compareTo(maxWarmUp) >= 0 ? "the JIT was not yet quiet: figures include compiling"
                : "then the JIT was quiet";
        context.put("warm-up", String.format(Locale.ROOT, "%.0f s (%s); JIT in the window: query service %.0f ms/s, "
                + "command service %.0f ms/s", load.warmedUp().toMillis() / 1e3, warmUpEnd,
                load.queryJitMsPerSecond(), load.commandJitMsPerSecond()));
        context.put("pairs measured", String.format(Locale.ROOT, "%,d (command, viewer); %,d arrived before the "
                + "command's 2xx reached this JVM (negative latencies, kept)", pairCount, early));
        context.put("viewers caught up after the load", String.format(Locale.ROOT, "%.2f s (bound %d s)",
                drained.toMillis() / 1e3, DRAIN_TIMEOUT.toSeconds()));
        context.put("stream checks", String.format(Locale.ROOT, "new snapshots after the first %,d; changes before a "
                + "snapshot %,d; protocol errors %,d%s; other events %,d; heartbeats %,d; 'retry: 2000' at %,d of %,d "
                + "viewers", extraSnapshots, beforeSnapshot, protocolErrors, firstProtocolError == null ? ""
                : " (first: " + firstProtocolError + ")", unexpected, heartbeats, retryAsDocumented, viewerCount));
        context.put("query service metrics over the load", String.format(Locale.ROOT, "scoreboard_live_changes_total "
                + "+%,.0f (expected %,d: answered commands x %d viewers), scoreboard_live_ended_total +%,.0f (slow "
                + "+%,.0f), scoreboard_live_streams %.0f at the start; server-side push latency (event time to change "
                + "queued): mean %.1f ms over %,.0f events, p99 %.1f ms (Micrometer's decaying window)", changesPushed,
                acknowledged * viewersPerBoard, viewersPerBoard, endedAll, droppedSlow, streamsOpen,
                serverPushCount > 0 ? 1000 * serverPushSum / serverPushCount : Double.NaN, serverPushCount,
                1000 * serverPushP99));
        context.put("CPU in the window, cores (of " + cores + ")", String.format(Locale.ROOT, "this JVM (viewers, "
                + "command sender, reads) %.2f, query service %.2f, its read database %.2f, command service %.2f, "
                + "event store %.2f, whole machine %.2f", load.query().client(), load.query().service(),
                load.query().database(), load.command().service(), load.command().database(),
                load.query().machineBusy()));
        context.put("memory", "query service VmRSS and heap in use (jvm_memory_used_bytes, area heap) "
                + (gcAvailable() ? "after a full GC (jcmd GC.run) " : "without a GC (no jcmd) ")
                + "before the viewers and 2 s after the last opened; per viewer = the difference / viewers. Kernel "
                + "socket buffers are not in the RSS");

        ResultTable table = new ResultTable("Live streams (SSE) under score changes", context);
        String ref = "read-your-writes (minPosition)";
        table.add(new ResultTable.Row("push latency p50", push.p50Millis(), "ms", ref + " p50",
                readYourWrites.p50Millis(), Double.NaN, ResultTable.Goal.NONE, Double.NaN));
        table.add(ResultTable.Row.atMost("push latency p99, " + String.format(Locale.ROOT, "%,d", viewerCount)
                + " viewers", push.p99Millis(), "ms", ref + " p99", readYourWrites.p99Millis(), TARGET_PUSH_P99_MILLIS));
        table.add(new ResultTable.Row("push latency max", push.maxMillis(), "ms", ref + " max",
                readYourWrites.maxMillis(), Double.NaN, ResultTable.Goal.NONE, Double.NaN));
        table.add(new ResultTable.Row("push p99, last of a board's viewers", pushLast.p99Millis(), "ms", ref + " p99",
                readYourWrites.p99Millis(), Double.NaN, ResultTable.Goal.NONE, Double.NaN));
        table.add(ResultTable.Row.atMost("changes missed", missed, "pairs", "—", Double.NaN, 0));
        table.add(ResultTable.Row.atMost("changes repeated", repeated, "changes", "—", Double.NaN, 0));
        table.add(ResultTable.Row.atMost("versions skipped in a sequence", skipped, "versions", "—", Double.NaN, 0));
        table.add(ResultTable.Row.atMost("viewers dropped (ended: slow)", droppedSlow, "viewers", "—", Double.NaN, 0));
        table.add(new ResultTable.Row("viewers' streams ended by the service", viewers.endedWhileStreaming(), "viewers", "—",
                Double.NaN, Double.NaN, ResultTable.Goal.NONE, Double.NaN));
        table.add(new ResultTable.Row("viewers open", viewerCount, "viewers", "scoreboard_live_streams", streamsOpen,
                Double.NaN, ResultTable.Goal.NONE, Double.NaN));
        table.add(new ResultTable.Row("time to open them all", opened.toMillis() / 1e3, "s", "—", Double.NaN,
                Double.NaN, ResultTable.Goal.NONE, Double.NaN));
        table.add(new ResultTable.Row("opening one: connect to snapshot p99", opening.p99Millis(), "ms",
                "p50", opening.p50Millis(), Double.NaN, ResultTable.Goal.NONE, Double.NaN));
        table.add(new ResultTable.Row("query service RSS with viewers", with.rssMiB(), "MiB", "RSS before them",
                before.rssMiB(), Double.NaN, ResultTable.Goal.NONE, Double.NaN));
        table.add(new ResultTable.Row("memory per viewer (RSS)", 1024 * (with.rssMiB() - before.rssMiB()) / viewerCount,
                "KiB", "—", Double.NaN, Double.NaN, ResultTable.Goal.NONE, Double.NaN));
        table.add(new ResultTable.Row("heap per viewer", 1024 * (with.heapMiB() - before.heapMiB()) / viewerCount,
                "KiB", "—", Double.NaN, Double.NaN, ResultTable.Goal.NONE, Double.NaN));
        table.add(new ResultTable.Row("commands answered in the window", inWindow / (windowNanos / 1e9), "/s",
                "offered", commandsPerSecond, Double.NaN, ResultTable.Goal.NONE, Double.NaN));
        table.add(ResultTable.Row.atMost("this JVM's CPU, share of the machine", 100 * clientShare, "%", "—",
                Double.NaN, 100 * TARGET_CLIENT_SHARE));
        table.add(new ResultTable.Row("query service CPU in the window", load.query().service(), "cores", "—",
                Double.NaN, Double.NaN, ResultTable.Goal.NONE, Double.NaN));
        table.add(new ResultTable.Row("warm-up, until the JIT was quiet", load.warmedUp().toMillis() / 1e3, "s",
                "at least", warmUp.toSeconds(), Double.NaN, ResultTable.Goal.NONE, Double.NaN));

        if (missed > 0 || repeated > 0 || skipped > 0) {
            table.note(String.format(Locale.ROOT, "WARNING: %,d (command, viewer) pairs never arrived, %,d changes came "
                    + "again or out of order, %,d versions were skipped: see the viewers' details in the JSON and the "
                    + "query service's log", missed, repeated, skipped));
        }
        if (failedCommands > 0) {
            table.note(String.format(Locale.ROOT, "WARNING: %,d commands failed (first: %s); their changes are not "
                    + "counted", failedCommands, c.firstFailure));
        }
        table.note(String.format(Locale.ROOT, "push latency p50 / p95 / p99 / max: %.1f / %.1f / %.1f / %.1f ms over "
                + "%,d pairs; read-your-writes %.1f / %.1f / %.1f / %.1f ms over %,d reads (%d failed)",
                push.p50Millis(), push.p95Millis(), push.p99Millis(), push.maxMillis(), push.count(),
                readYourWrites.p50Millis(), readYourWrites.p95Millis(), readYourWrites.p99Millis(),
                readYourWrites.maxMillis(), readYourWrites.count(), readErrors));
        StringBuilder sliced = new StringBuilder();
        List<Object> sliceDetails = new ArrayList<>();
        for (int k = 0; k < slices; k++) {
            LatencySummary part = LatencySummary.of(Arrays.copyOf(bySlice[k], sliceCount[k]), 0, sliceNanos);
            LatencySummary partReads = LatencySummary.of(Arrays.copyOf(readsBySlice[k], readSliceCount[k]), 0,
                    sliceNanos);
            sliced.append(k == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.0f / %.0f (%.0f / %.0f)",
                    part.p50Millis(), part.p99Millis(), partReads.p50Millis(), partReads.p99Millis()));
            sliceDetails.add(Map.of("push", part.asMap(), "readYourWrites", partReads.asMap()));
        }
        table.note("push latency p50 / p99 in ms by " + SLICE_SECONDS + " s of the window, in order (read-your-writes "
                + "in brackets): " + sliced);
        table.detail("pushLatencyBySlice", sliceDetails);
        table.detail("pushLatency", push.asMap());
        table.detail("pushLatencyLastViewer", pushLast.asMap());
        table.detail("readYourWrites", readYourWrites.asMap());
        table.detail("opening", opening.asMap());
        table.detail("cpuQuerySide", load.query().asCoresMap());
        table.detail("cpuCommandSide", load.command().asCoresMap());
        Map<String, Object> perViewer = new LinkedHashMap<>();
        for (LiveViewers.Viewer v : viewers.viewers()) {
            if (v.sequence.repeated() > 0 || v.sequence.skippedVersions() > 0 || v.sequence.snapshots() != 1
                    || v.failure != null || v.ended || v.protocolErrors > 0) {
                perViewer.put(Integer.toString(v.index), Map.of("board", v.board, "changes", v.sequence.changes(),
                        "repeated", v.sequence.repeated(), "skippedVersions", v.sequence.skippedVersions(),
                        "snapshots", v.sequence.snapshots(), "ended", v.ended,
                        "failure", v.failure == null ? "" : v.failure));
            }
        }
        table.detail("viewersWithFindings", perViewer);
        return table;
    }

    /** Polls each board on the query service until it answers 200: a live stream of an unknown board is a 404. */
    private void awaitProjected(URI queryBase, String[] boardIds) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        for (String id : boardIds) {
            while (true) {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(queryBase.resolve(
                        "/api/v1/scoreboards/" + id)).timeout(REQUEST_TIMEOUT).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("board " + id + " not on the query service after 120 s: "
                            + response.statusCode());
                }
                Thread.sleep(100);
            }
        }
    }

    private Memory memory(ServiceProcess query, URI queryBase) throws Exception {
        if (gcAvailable()) {
            Process gc = new ProcessBuilder(jcmd().toString(), Long.toString(query.pid()), "GC.run")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!gc.waitFor(60, TimeUnit.SECONDS)) {
                gc.destroyForcibly();
            }
            Thread.sleep(1_000);
        }
        double heap = metric(prometheus(queryBase), "jvm_memory_used_bytes", "area=\"heap\"") / (1024 * 1024);
        return new Memory(ProcessStats.rssMiB(query.pid()), heap);
    }

    private static Path jcmd() {
        return Path.of(System.getProperty("java.home"), "bin", "jcmd");
    }

    private static boolean gcAvailable() {
        return jcmd().toFile().canExecute();
    }

    private String prometheus(URI queryBase) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(queryBase.resolve("/actuator/prometheus"))
                .timeout(REQUEST_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("/actuator/prometheus answered " + response.statusCode());
        }
        return response.body();
    }

    private static double delta(String before, String after, String name, String label) {
        double a = metric(after, name, label);
        double b = metric(before, name, label);
        return (Double.isNaN(a) ? 0 : a) - (Double.isNaN(b) ? 0 : b);
    }

    /**
     * The sum of a metric's samples in Prometheus' text format whose labels contain {@code label} (null: every
     * sample of the name); NaN when there is none.
     */
    static double metric(String text, String name, String label) {
        double sum = 0;
        boolean found = false;
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || !line.startsWith(name) || line.length() <= name.length()) {
                continue;
            }
            char next = line.charAt(name.length());
            if (next != '{' && next != ' ') {
                continue;
            }
            if (label != null && !line.substring(0, line.lastIndexOf(' ')).contains(label)) {
                continue;
            }
            String value = line.substring(line.lastIndexOf(' ') + 1).trim();
            try {
                sum += Double.parseDouble(value);
                found = true;
            } catch (NumberFormatException ignored) {
                // NaN or a malformed line: not a sample to add
            }
        }
        return found ? sum : Double.NaN;
    }

    private static String boardId(CommandApi.Board board) {
        return board.scoreChangesPrefix().split("/")[4];
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, left / 1_000_000));
        }
    }
}
