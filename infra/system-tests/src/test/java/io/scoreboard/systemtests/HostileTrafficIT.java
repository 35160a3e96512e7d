package io.scoreboard.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Hostile traffic against the real services with their rate limits on, as production runs them: each
 * flood aims at ONE board (board ids are public) while an honest client keeps writing to other boards
 * at a polite rate and reads every write back through the query service with {@code minPosition}.
 *
 * <p>The services trust 127.0.0.1 as a reverse proxy, so every client here speaks for its own address
 * through {@code X-Forwarded-For}, as clients behind a proxy do: the honest client is one address, each
 * flood another (TEST-NET addresses, RFC 5737). Functional assertions only: every honest write answers
 * 2xx and is read back as written; the flooders get only the refusals the contract names; nothing a
 * flooder sent changed a board; both services still run; and the operator's verify agrees at the end.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileTrafficIT {

    private static final String HONEST = "192.0.2.10";
    private static final String SETUP = "192.0.2.20";
    private static final String WRONG_TOKENS = "198.51.100.1";
    private static final String CREATIONS = "198.51.100.2";
    private static final String SLOW_EXPORTS = "198.51.100.3";
    private static final String WAITS = "198.51.100.4";

    /** Long enough for a minPosition wait (5 s) to run out inside it; refusals are held up to 1 s each (ADR 0019). */
    private static final Duration FLOOD = Duration.ofSeconds(7);
    /**
     * The flooded board's history: 60 rounds over 1,000 participants, 60,000 CSV rows (about 6.5 MB), beyond
     * what the kernel buffers of one loopback connection hold (Linux autotunes the sending side up to
     * net.ipv4.tcp_wmem's maximum, 4 MB by default; the reader below keeps its own side at a few KB). The
     * slow-reader test checks that its exports really stalled.
     */
    private static final int TARGET_PARTICIPANTS = 1_000;
    private static final int TARGET_ROUNDS = 60;
    /** Threads opening slow export readers, each as soon as its last one was answered. */
    private static final int SLOW_READER_THREADS = 16;
    /** Between two honest writes: one write and one expensive read per pause, well under every limit. */
    private static final long HONEST_PAUSE_MILLIS = 150;

    private static RunningSystem system;
    private static Board target;
    private static List<Board> honestBoards;
    /** Participant 0's score on each honest board: the honest client is their only writer. */
    private static final Map<String, Long> honestScores = new ConcurrentHashMap<>();

    /** A board and what its owner knows about it. */
    private record Board(String id, String admin, String keeper, List<String> participants) {}

    @BeforeAll
    static void start() {
        system = RunningSystem.startWithRateLimits("HostileTrafficIT",
                List.of("--scoreboard.rate-limits.trusted-proxies=127.0.0.1"));
        system.awaitReplicating();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < TARGET_PARTICIPANTS; i++) {
            names.add("P" + i);
        }
        target = create("Target", names, SETUP);
        // A history too large for the socket buffers: an export of it stalls on a client that does not read.
        for (int round = 0; round < TARGET_ROUNDS; round++) {
            StringBuilder deltas = new StringBuilder();
            for (String participant : target.participants()) {
                deltas.append(deltas.isEmpty() ? "" : ",").append('"').append(participant).append("\":").append(round + 1);
            }
            Http.Response recorded = Http.post(system.commandUri("/api/v1/scoreboards/" + target.id() + "/rounds"),
                    "{\"comment\":\"Round " + round + "\",\"deltas\":{" + deltas + "}}",
                    "Authorization", target.admin(), "X-Forwarded-For", SETUP);
            assertThat(recorded.status()).as(recorded.body()).isEqualTo(200);
        }
        honestBoards = List.of(create("Honest 1", List.of("Ann", "Bob"), HONEST),
                create("Honest 2", List.of("Ann", "Bob"), HONEST), create("Honest 3", List.of("Ann", "Bob"), HONEST));
        honestBoards.forEach(board -> honestScores.put(board.id(), 0L));
        awaitReadSideAtStoreHead(); // the floods start on a read side that has caught up
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    @Order(1)
    void wrongTokenWrites_from64Connections_areRefused_honestWritesGoOn() throws Exception {
        Counts before = Counts.now();
        String otherBoardsToken = honestBoards.get(0).keeper();
        URI uri = system.commandUri("/api/v1/scoreboards/" + target.id() + "/participants/"
                + target.participants().get(0) + "/score-changes");
        Flood flood;
        HonestClient honest = new HonestClient();
        long started = System.nanoTime();
        try (honest) {
            flood = Flood.run(64, FLOOD, client -> {
                // a real scorekeeper token of another board, or a made-up one
                String token = ThreadLocalRandom.current().nextBoolean() ? otherBoardsToken : "Bearer sbs_" + UUID.randomUUID();
                return client.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString("{\"delta\":1000}"))
                        .header("Content-Type", "application/json").header("Authorization", token)
                        .header("X-Forwarded-For", WRONG_TOKENS));
            });
        }
        flood.assertOnly(Set.of(401, 403, 429));
        assertThat(flood.statuses()).as("the credential check and the failed-authentication limit both answered")
                .containsKeys(403, 429);
        // 10 failures a second per address (the default); the 64 in flight together may all fail before any is
        // counted, and are then repaid before the address passes again (KeyedBuckets' debt).
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds() + 1;
        assertThat(flood.count(401) + flood.count(403)).as("guesses let through: " + flood.statuses())
                .isLessThanOrEqualTo((int) (64 + 10 * seconds));
        assertUnharmed(honest, before, 0);
    }

    @Test
    @Order(2)
    void creationFlood_fromOneAddress_getsItsBudgetThen429_honestWritesGoOn() throws Exception {
        Counts before = Counts.now();
        URI uri = system.commandUri("/api/v1/scoreboards");
        long started = System.nanoTime();
        Flood flood;
        HonestClient honest = new HonestClient();
        try (honest) {
            flood = Flood.run(16, FLOOD, client -> client.send(HttpRequest.newBuilder(uri)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Spam\",\"participants\":[\"x\"]}"))
                    .header("Content-Type", "application/json").header("X-Forwarded-For", CREATIONS)));
        }
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds() + 1;
        flood.assertOnly(Set.of(201, 202, 429));
        int created = flood.count(201) + flood.count(202);
        // 60 per minute with bursts of 60 (the default): the bucket refills at one per second
        assertThat(created).as("creations let through: " + flood.statuses()).isBetween(1, (int) (60 + seconds));
        assertThat(flood.statuses()).containsKey(429);
        assertUnharmed(honest, before, created);
    }

    @Test
    @Order(3)
    void slowExportReaders_neverReadingTheBody_holdNoMoreThanTheyMay_honestWritesGoOn() throws Exception {
        Counts before = Counts.now();
        String request = "GET /api/v1/scoreboards/" + target.id() + "/history/export.csv HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\nX-Forwarded-For: " + SLOW_EXPORTS + "\r\n\r\n";
        int port = system.queryUri("/").getPort();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        List<Socket> open = new CopyOnWriteArrayList<>();
        List<String> errors = new CopyOnWriteArrayList<>();
        AtomicInteger withoutRetryAfter = new AtomicInteger();
        AtomicInteger stalledAtMost = new AtomicInteger();
        AtomicInteger transactionsAtMost = new AtomicInteger();
        HonestClient honest = new HonestClient();
        try (honest) {
            long end = System.nanoTime() + FLOOD.toNanos();
            List<Thread> openers = new ArrayList<>();
            for (int t = 0; t < SLOW_READER_THREADS; t++) {
                openers.add(new Thread(() -> {
                    while (System.nanoTime() < end) {
                        try {
                            Socket socket = new Socket();
                            open.add(socket);
                            // A small window and no autotuning on this side: the rows pile up in the buffers, then stall.
                            socket.setReceiveBufferSize(4096);
                            // generous: on a loaded 2-core machine the service's acceptor may wait its turn
                            socket.connect(new InetSocketAddress("127.0.0.1", port), 30_000);
                            socket.setSoTimeout(30_000);
                            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                            socket.getOutputStream().flush();
                            // Only the status line and headers are read; the body never is.
                            List<String> head = readHead(socket.getInputStream());
                            int status = Integer.parseInt(head.get(0).split(" ")[1]);
                            statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                            if (status != 200 && head.stream().noneMatch(h -> h.regionMatches(true, 0, "Retry-After:", 0, 12))) {
                                withoutRetryAfter.incrementAndGet();
                            }
                            if (status == 200) {
                                stalledAtMost.accumulateAndGet(exportsInProgress(), Math::max);
                            }
                            transactionsAtMost.accumulateAndGet(exportTransactions(), Math::max);
                        } catch (IOException | RuntimeException e) {
                            errors.add(e + " at " + java.util.Arrays.toString(java.util.Arrays.copyOf(e.getStackTrace(),
                                    Math.min(4, e.getStackTrace().length))));
                            return;
                        }
                    }
                }, "slow-export-reader-" + t));
            }
            openers.forEach(Thread::start);
            for (Thread opener : openers) {
                opener.join();
            }
        } finally {
            for (Socket socket : open) {
                socket.close();
            }
        }
        Map<Integer, Integer> seen = new TreeMap<>();
        statuses.forEach((s, n) -> seen.put(s, n.get()));
        System.out.println("slow export readers answered " + seen + "; exports in progress at most: " + stalledAtMost
                + "; export transactions held at most: " + transactionsAtMost);
        assertThat(errors).as("slow export requests the service did not answer").isEmpty();
        assertThat(seen.keySet()).as("statuses of the slow export readers: " + seen).isSubsetOf(200, 429, 503);
        // Refused by the per-address rate limit (429) or by the export bound (503 EXPORTS_BUSY), whichever is
        // reached first: that depends on how fast the readers open, not on the service.
        assertThat(seen).as("some exports started: " + seen).containsKey(200);
        assertThat(seen.keySet()).as("the rest were refused: " + seen).containsAnyOf(429, 503);
        assertThat(withoutRetryAfter.get()).as("every refusal says when to retry").isZero();
        assertThat(stalledAtMost.get()).as("the slow readers really held exports open").isPositive();
        // A stalled export holds no transaction: its snapshot would stop the pruning of every row the projection
        // updates meanwhile (ADR 0025).
        assertThat(transactionsAtMost.get()).as("transactions held by stalled exports").isZero();
        assertUnharmed(honest, before, 0);
    }

    @Test
    @Order(4)
    void minPositionWaits_farInTheFuture_areBounded_honestWritesGoOn() throws Exception {
        Counts before = Counts.now();
        URI uri = system.queryUri("/api/v1/scoreboards/" + target.id() + "?minPosition=" + (Long.MAX_VALUE / 2));
        Flood flood;
        HonestClient honest = new HonestClient();
        try (honest) {
            flood = Flood.run(64, FLOOD, client -> client.send(HttpRequest.newBuilder(uri).GET()
                    .header("X-Forwarded-For", WAITS)));
        }
        flood.assertOnly(Set.of(429, 503));
        assertThat(flood.statuses()).as("some waited to the end of their wait, the rest were refused")
                .containsKeys(429, 503);
        assertUnharmed(honest, before, 0);
    }

    @Test
    @Order(5)
    void afterEveryFlood_bothServicesRun_andVerifyAgrees() {
        assertThat(system.servicesAlive()).as("both services still run").isTrue();
        awaitReadSideAtStoreHead();
        OperatorCliProcess.assertVerifyAgrees(system);
    }

    // ---------------------------------------------------------------------------------------------

    /**
     * What every flood must leave behind: the honest client's every write answered 2xx and was read back
     * as written; the flooded board has exactly its events; each honest board exactly its own plus the
     * honest writes; boards created only as many as the flood was answered 201/202; both services run.
     */
    private static void assertUnharmed(HonestClient honest, Counts before, int boardsCreatedByFlood)
            throws SQLException {
        assertThat(honest.failures).as("honest writes and read-backs that failed").isEmpty();
        assertThat(honest.writes.get()).as("the honest client wrote during the flood").isPositive();
        assertThat(honest.readRetries.get()).as("honest read-backs that got 429 (own limit)").isZero();
        Counts after = Counts.now();
        assertThat(after.eventsOf(target)).as("events of the flooded board").isEqualTo(before.eventsOf(target));
        for (Board board : honestBoards) {
            assertThat(after.eventsOf(board)).as("events of honest board " + board.id())
                    .isEqualTo(before.eventsOf(board) + honest.writesTo(board));
        }
        assertThat(after.boards).as("boards in the event store").isEqualTo(before.boards + boardsCreatedByFlood);
        assertThat(system.servicesAlive()).as("both services still run").isTrue();
        System.out.printf("honest client: %d writes, all 2xx and read back (%d read-backs retried after a 503: %s)%n",
                honest.writes.get(), honest.readBusy.get(), honest.readBusyCodes);
    }

    /** The honest client: one thread, a write then its read-back, a pause; only its own boards. */
    private static final class HonestClient implements AutoCloseable {
        final AtomicInteger writes = new AtomicInteger();
        /** Read-backs answered 429 (the client's own limit, which its pace stays under): must stay 0. */
        final AtomicInteger readRetries = new AtomicInteger();
        /** Read-backs answered 503 with Retry-After (a bound of the query side) and retried, as a client should. */
        final AtomicInteger readBusy = new AtomicInteger();
        /** The codes of those 503s, to tell a bound the flood filled (e.g. waiting reads) from a slow projection. */
        final List<String> readBusyCodes = new CopyOnWriteArrayList<>();
        final List<String> failures = new CopyOnWriteArrayList<>();
        private final Map<String, AtomicInteger> perBoard = new ConcurrentHashMap<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        HonestClient() {
            thread = new Thread(this::loop, "honest-client");
            thread.start();
        }

        int writesTo(Board board) {
            AtomicInteger n = perBoard.get(board.id());
            return n == null ? 0 : n.get();
        }

        private void loop() {
            int i = 0;
            while (running.get() && failures.size() < 10) {
                Board board = honestBoards.get(i++ % honestBoards.size());
                String participant = board.participants().get(0);
                try {
                    Http.Response written = Http.post(system.commandUri("/api/v1/scoreboards/" + board.id()
                                    + "/participants/" + participant + "/score-changes"), "{\"delta\":1}",
                            "Authorization", board.keeper(), "Idempotency-Key", UUID.randomUUID().toString(),
                            "X-Forwarded-For", HONEST);
                    if (written.status() / 100 != 2) {
                        failures.add("write answered " + written.status() + ": " + written.body());
                        continue;
                    }
                    writes.incrementAndGet();
                    perBoard.computeIfAbsent(board.id(), b -> new AtomicInteger()).incrementAndGet();
                    long expected = honestScores.merge(board.id(), 1L, Long::sum);
                    readBack(board, participant, written.json(), expected);
                    Thread.sleep(HONEST_PAUSE_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (RuntimeException e) {
                    failures.add(e.toString());
                }
            }
        }

        private void readBack(Board board, String participant, JsonNode written, long expectedScore)
                throws InterruptedException {
            URI uri = system.queryUri("/api/v1/scoreboards/" + board.id() + "/participants/" + participant
                    + "?minPosition=" + written.get("position").asLong());
            for (int attempt = 1; attempt <= 10; attempt++) {
                Http.Response read = Http.send("GET", uri, null, "X-Forwarded-For", HONEST);
                if (read.status() == 200) {
                    JsonNode standing = read.json();
                    if (standing.get("score").asLong() != expectedScore
                            || standing.get("version").asLong() != written.get("version").asLong()) {
                        failures.add("read back " + standing + " after writing " + written + " (expected score "
                                + expectedScore + ")");
                    }
                    return;
                }
                if ((read.status() != 503 && read.status() != 429) || read.header("Retry-After") == null) {
                    failures.add("read-back answered " + read.status() + ": " + read.body());
                    return;
                }
                (read.status() == 429 ? readRetries : readBusy).incrementAndGet();
                if (read.status() == 503) {
                    readBusyCodes.add(read.json().path("code").asText());
                }
                Thread.sleep(Long.parseLong(read.header("Retry-After")) * 1000);
            }
            failures.add("read-back of position " + written.get("position") + " still refused after 10 attempts");
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(Duration.ofMinutes(2).toMillis());
            assertThat(thread.isAlive()).as("the honest client stopped").isFalse();
        }
    }

    /** Many flooders in parallel, one connection each, sending as fast as they are answered. */
    private static final class Flood {
        @FunctionalInterface
        interface Request {
            HttpResponse<String> send(Sender client) throws IOException, InterruptedException;
        }

        /** Sends a request built by the flooder on its own connection pool. */
        record Sender(HttpClient http) {
            HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
                return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            }
        }

        private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        private final AtomicLong refusalsWithoutRetryAfter = new AtomicLong();
        private final List<String> errors = new CopyOnWriteArrayList<>();

        static Flood run(int connections, Duration duration, Request request) throws InterruptedException {
            Flood flood = new Flood();
            long end = System.nanoTime() + duration.toNanos();
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                // one client per flooder: its own connection, as 64 separate attackers would have
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5)).build();
                Sender sender = new Sender(http);
                Thread thread = new Thread(() -> {
                    while (System.nanoTime() < end) {
                        try {
                            HttpResponse<String> response = request.send(sender);
                            flood.statuses.computeIfAbsent(response.statusCode(), s -> new AtomicInteger())
                                    .incrementAndGet();
                            if ((response.statusCode() == 429 || response.statusCode() == 503)
                                    && response.headers().firstValue("Retry-After").isEmpty()) {
                                flood.refusalsWithoutRetryAfter.incrementAndGet();
                            }
                        } catch (IOException e) {
                            flood.errors.add(e.toString());
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }, "flood-" + c);
                threads.add(thread);
            }
            threads.forEach(Thread::start);
            for (Thread thread : threads) {
                thread.join();
            }
            return flood;
        }

        Map<Integer, Integer> statuses() {
            Map<Integer, Integer> seen = new TreeMap<>();
            statuses.forEach((s, n) -> seen.put(s, n.get()));
            return seen;
        }

        int count(int status) {
            AtomicInteger n = statuses.get(status);
            return n == null ? 0 : n.get();
        }

        void assertOnly(Set<Integer> allowed) {
            System.out.println("flood answered " + statuses());
            assertThat(errors).as("flood requests the services did not answer").isEmpty();
            assertThat(statuses().keySet()).as("statuses the flood got: " + statuses()).isSubsetOf(allowed);
            assertThat(refusalsWithoutRetryAfter.get()).as("429/503 without Retry-After").isZero();
        }
    }

    /** What the event store holds: events per board, and how many boards. */
    private record Counts(Map<String, Long> events, long boards) {
        static Counts now() throws SQLException {
            try (Connection c = DriverManager.getConnection(system.databases.eventsJdbcUrl(),
                    system.databases.ownerRole().user(), system.databases.ownerRole().password());
                 PreparedStatement s = c.prepareStatement("SELECT aggregate_identifier, count(*) FROM domain_event_entry "
                         + "GROUP BY aggregate_identifier");
                 ResultSet rs = s.executeQuery()) {
                Map<String, Long> events = new ConcurrentHashMap<>();
                while (rs.next()) {
                    events.put(rs.getString(1), rs.getLong(2));
                }
                return new Counts(events, events.size());
            }
        }

        long eventsOf(Board board) {
            return events.getOrDefault(board.id(), 0L);
        }
    }

    /**
     * Sessions of the read database idle inside a transaction for over a second whose last statement was a
     * history export's: a stalled export holding its snapshot. (Each chunk is a transaction of its own, idle
     * for the moment between its rows and its commit.)
     */
    private static int exportTransactions() {
        // As the services' own role: PostgreSQL shows a session's state only to its role (or a superuser).
        try (Connection c = DriverManager.getConnection(system.databases.readJdbcUrl(),
                system.databases.appRole().user(), system.databases.appRole().password());
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE datname = ? "
                     + "AND usename = current_user AND state LIKE 'idle in transaction%' "
                     + "AND clock_timestamp() - state_change > interval '1 second' "
                     + "AND query LIKE '%score history export%'")) {
            s.setString(1, system.databases.readDatabase());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** CSV exports in progress, as the query service's own gauge counts them. */
    private static int exportsInProgress() throws IOException {
        try {
            HttpResponse<String> metrics = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(system.queryUri("/actuator/prometheus")).timeout(Duration.ofSeconds(30))
                            .build(), HttpResponse.BodyHandlers.ofString());
            return metrics.body().lines().filter(line -> line.startsWith("scoreboard_query_exports_active ")
                            || line.startsWith("scoreboard_query_exports_active{"))
                    .mapToInt(line -> (int) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim()))
                    .findFirst().orElseThrow(() -> new IOException("no scoreboard_query_exports_active gauge"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** The status line and headers of a response, read byte by byte so that not one byte of the body is. */
    private static List<String> readHead(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after " + lines);
            }
            if (b == '\n') {
                String text = line.toString().strip();
                if (text.isEmpty()) {
                    return lines;
                }
                lines.add(text);
                line.setLength(0);
            } else {
                line.append((char) b);
            }
        }
    }

    private static Board create(String name, List<String> participants, String address) {
        StringBuilder body = new StringBuilder("{\"name\":\"").append(name).append("\",\"participants\":[");
        for (int i = 0; i < participants.size(); i++) {
            body.append(i == 0 ? "\"" : ",\"").append(participants.get(i)).append('"');
        }
        Http.Response created = Http.post(system.commandUri("/api/v1/scoreboards"), body.append("]}").toString(),
                "X-Forwarded-For", address);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode json = created.json();
        List<String> ids = new ArrayList<>();
        json.get("participants").forEach(p -> ids.add(p.get("participantId").asText()));
        return new Board(json.get("scoreboardId").asText(), "Bearer " + json.get("adminToken").asText(),
                "Bearer " + json.get("scorekeeperToken").asText(), ids);
    }

    /** Verify compares the read model with a recomputation: let the read side reach every stored event first. */
    private static void awaitReadSideAtStoreHead() {
        long head = Http.get(system.commandUri("/api/v1/ops/replication")).json().get("storePosition").asLong();
        org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(3)).until(() ->
                Http.get(system.commandUri("/api/v1/ops/replication")).json().get("lagEvents").asLong() == 0
                        && Http.get(system.queryUri("/api/v1/scoreboards/" + UUID.randomUUID() + "?minPosition=" + head))
                        .status() == 404);
    }
}
