package io.scoreboard.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * At the limits: every documented maximum (README "Limits", docs/api.md) used while 16 other clients keep
 * writing to 32 boards of their own, against the real services (384 MB heaps) with their rate limits on, as
 * production runs them. One system serves the whole class.
 *
 * <p>Boards and write sequences are generated (jqwik): participant names of 1 to 100 characters (and 101)
 * mixing one- to four-byte UTF-8 characters, boards of up to exactly 10,000 participants (and 10,001),
 * rounds as large as a 64 KiB body holds (and one byte more), scores at the edges of the range (and past
 * them), Idempotency-Keys of up to 255 characters (and 256), in random mixes of add, rename, remove, score
 * changes, rounds and undo. For each write the contract alone ({@link BoardModel}) says what it must get:
 * within every limit, 2xx and exactly the change sent; past one, a 4xx problem+json with the documented code
 * and nothing changed (each accepted write's version, and a last one after the sequence, show that no
 * refused write appended anything; a refused create leaves the number of boards as it was). Never a 5xx.
 * Every board is read back from the query side with {@code minPosition} at the end, once the read side has
 * caught up (verify needs that anyway): it shows exactly what its client was answered.
 *
 * <p>The rate limits beside the limits: writes beyond a board's rate answer 429 with Retry-After and change
 * nothing; a create at every limit at once counts as one creation, like any other.
 *
 * <p>Measured before: a board of 10,000 participants created beside concurrent writers filled a 512 MB heap
 * with the replicator's gap tokens, and the command service died at every start from then on. At the end
 * both services still run and the operator's verify agrees.
 *
 * <p>The services trust 127.0.0.1 as a proxy, so each client here is its own address through
 * {@code X-Forwarded-For} (each generated board's client, each writer): the per-client rate limits do not
 * mix them up. A failure shows the generated board and the write that got the wrong answer (a read-back at
 * the end names its board's writes), and jqwik prints the seed to run it again; jqwik statistics show which
 * writes were accepted at a limit and which refusals came up. No shrinking: every try writes to the real
 * system, and jqwik's time-bounded shrinking leaves its last try running after the property has ended (seen:
 * it went on creating boards while the class was checking the read side at the end).
 */
class LimitsIT {

    private static final String API = BoardClient.API;
    /** Each generated board's client, each example's: 10.0.0.1, 10.0.0.2, … */
    private static final AtomicInteger CLIENTS = new AtomicInteger();


    /**
     * Every board's read-back, run at the end: the read side catches up once (verify needs that anyway) instead
     * of every try waiting for the projection of the large boards before it.
     */
    private static final List<ReadBack> READ_BACKS = new CopyOnWriteArrayList<>();

    private record ReadBack(String what, Runnable check) {}

    private static RunningSystem system;
    private static OrdinaryWriters writers;
    private static Connection eventStore;

    @BeforeContainer
    static void start() throws SQLException {
        system = RunningSystem.startWithRateLimits("limits", List.of("--scoreboard.rate-limits.trusted-proxies=127.0.0.1"));
        system.awaitReplicating();
        eventStore = DriverManager.getConnection(system.databases.eventsJdbcUrl(),
                system.databases.appRole().user(), system.databases.appRole().password());
        writers = new OrdinaryWriters(system, 16, 2, 200, "203.0.113.");
    }

    @AfterContainer
    static void finish() throws Exception {
        try {
            if (writers != null) {
                writers.close();
                System.out.println("LimitsIT: ordinary writes by status: " + writers.statuses()
                        + "; minPosition reads answered PROJECTION_BEHIND and read again: " + BoardClient.PROJECTION_BEHIND);
                assertThat(system.servicesAlive()).as("both services still run").isTrue();
                assertThat(writers.statuses().keySet()).as("statuses of the ordinary writes: " + writers.statuses())
                        .allSatisfy(status -> assertThat(status).isLessThan(500));
                assertThat(writers.statuses().get(200)).as("ordinary writes went on").isNotNull();
                long caughtUp = System.nanoTime();
                awaitReadSideAtStoreHead();
                System.out.printf("LimitsIT: the read side caught up in %d ms after the writes%n",
                        (System.nanoTime() - caughtUp) / 1_000_000);
                List<String> wrong = new ArrayList<>();
                for (ReadBack readBack : READ_BACKS) {
                    try {
                        readBack.check().run();
                    } catch (AssertionError e) {
                        wrong.add(readBack.what() + ":\n" + e.getMessage());
                    }
                }
                assertThat(wrong).as("boards whose read-back differs from what their client was answered").isEmpty();
                OperatorCliProcess.assertVerifyAgrees(system);
            }
        } finally {
            if (eventStore != null) {
                eventStore.close();
            }
            if (system != null) {
                system.close();
            }
        }
    }

    // --- the properties -----------------------------------------------------------------------------------

    /** Boards of a few participants, and long mixes of writes to them. */
    @Property(tries = 10, generation = GenerationMode.RANDOMIZED, edgeCases = EdgeCasesMode.NONE,
            shrinking = ShrinkingMode.OFF)
    void smallBoards_everyWriteGetsWhatTheLimitsSay(@ForAll("smallBoards") BoardClient.Script script) {
        run(script, false);
    }

    /** Boards of up to exactly 10,000 participants, rounds as large as a body holds, adds past the maximum. */
    @Property(tries = 2, generation = GenerationMode.RANDOMIZED, edgeCases = EdgeCasesMode.NONE,
            shrinking = ShrinkingMode.OFF)
    void largeBoards_everyWriteGetsWhatTheLimitsSay(@ForAll("largeBoards") BoardClient.Script script) {
        run(script, true);
    }

    @Provide
    Arbitrary<BoardClient.Script> smallBoards() {
        Arbitrary<List<String>> participants = Arbitraries.integers().between(0, 30)
                .flatMap(n -> LimitInputs.validNames().list().ofSize(n).uniqueElements(BoardModel::nameKey));
        return scripts(participants, Arbitraries.of(BoardClient.CreateFault.class), LimitInputs.writes(false), 5, 12);
    }

    @Provide
    Arbitrary<BoardClient.Script> largeBoards() {
        Arbitrary<Integer> counts = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(BoardModel.MAX_PARTICIPANTS)),
                Tuple.of(1, Arbitraries.integers().between(BoardModel.MAX_PARTICIPANTS - 5, BoardModel.MAX_PARTICIPANTS - 1)),
                Tuple.of(1, Arbitraries.integers().between(1_500, BoardModel.MAX_PARTICIPANTS)
                        .withDistribution(RandomDistribution.uniform())));
        // the create's body (name, key and padding aside) within 64 KiB, the board's name at most 400 bytes
        Arbitrary<List<String>> participants = Combinators.combine(counts, Arbitraries.randoms())
                .as((count, random) -> LimitInputs.namesWithin(random, count, BoardModel.MAX_BODY - 460));
        return scripts(participants, Arbitraries.just(BoardClient.CreateFault.TOO_MANY_PARTICIPANTS),
                LimitInputs.writes(true), 4, 8);
    }

    private static Arbitrary<BoardClient.Script> scripts(Arbitrary<List<String>> participants,
                                                         Arbitrary<BoardClient.CreateFault> faults,
                                                         Arbitrary<BoardWrite> writes, int minSteps, int maxSteps) {
        Arbitrary<BoardClient.Step> steps = Combinators.combine(writes, LimitInputs.keys()).as(BoardClient.Step::new);
        Arbitrary<BoardWrite.Padding> createPadding = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(BoardWrite.Padding.NONE)),
                Tuple.of(1, Arbitraries.just(BoardWrite.Padding.TO_LIMIT)));
        return Combinators.combine(LimitInputs.validNames(), participants, LimitInputs.createKeys(), createPadding,
                faults, steps.list().ofMinSize(minSteps).ofMaxSize(maxSteps)).as(BoardClient.Script::new);
    }

    /**
     * A create at the participant maximum, beside the steady writers, read at once with its position: its
     * 10,001 events are projected within {@code scoreboard.query.min-position-timeout} (5 s), so the read
     * waits and answers the whole board, not 503 PROJECTION_BEHIND. Measured before the projection sent its
     * rows in batches: 6–8 s, every {@code minPosition} read meanwhile answered 503.
     */
    @Example
    void aCreateAtTheParticipantMaximum_isReadWithItsPosition_withinTheWait() {
        String client = nextClient();
        Http.Response created = Http.post(system.commandUri(API),
                BoardClient.createBody("Marathon", BoardClient.threeCharacterNames(BoardModel.MAX_PARTICIPANTS)),
                "X-Forwarded-For", client);
        assertThat(created.status()).as(created.body()).isIn(201, 202);
        String id = created.json().get("scoreboardId").asText();
        long position = created.json().get("position").asLong();

        long started = System.nanoTime();
        Http.Response read = Http.send("GET", system.queryUri(API + "/" + id + "?minPosition=" + position), null,
                "X-Forwarded-For", client);
        System.out.printf("LimitsIT: a create of %,d participants was read with its position after %d ms%n",
                BoardModel.MAX_PARTICIPANTS, (System.nanoTime() - started) / 1_000_000);
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        assertThat(read.json().get("participants")).hasSize(BoardModel.MAX_PARTICIPANTS);
        assertThat(read.json().get("version").asLong()).isEqualTo(BoardModel.MAX_PARTICIPANTS);
    }

    // --- the rate limits beside the limits ------------------------------------------------------------------

    /**
     * The per-board rate (20/s, bursts of 100; all clients together): writes beyond it answer 429
     * RATE_LIMITED with Retry-After and change nothing; writes within it are accepted, rounds of 200 deltas
     * as much as single score changes; after Retry-After the board takes writes again.
     */
    @Example
    void writesBeyondTheBoardRate_get429_andChangeNothing() throws Exception {
        String client = nextClient();
        Http.Response created = Http.post(system.commandUri(API),
                BoardClient.createBody("Busy", BoardClient.threeCharacterNames(200)),
                "X-Forwarded-For", client);
        assertThat(created.status()).as(created.body()).isIn(201, 202);
        JsonNode board = created.json();
        String id = board.get("scoreboardId").asText();
        String keeper = "Bearer " + board.get("scorekeeperToken").asText();
        String first = board.get("participants").get(0).get("participantId").asText();
        StringBuilder everyone = new StringBuilder();
        board.get("participants").forEach(p -> everyone.append(everyone.isEmpty() ? "\"" : ",\"")
                .append(p.get("participantId").asText()).append("\":1"));
        String round = "{\"comment\":\"Everyone\",\"deltas\":{" + everyone + "}}";

        AtomicBoolean limited = new AtomicBoolean();
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger changes = new AtomicInteger();
        AtomicInteger rounds = new AtomicInteger();
        List<Http.Response> refused = new CopyOnWriteArrayList<>();
        List<Http.Response> unexpected = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            clients.add(pool.submit(() -> {
                // until the board's budget is used up (a cap, should the machine be slower than 20 writes a second)
                for (int i = 0; !limited.get() && sent.incrementAndGet() <= 1_000; i++) {
                    boolean isRound = i % 10 == 9;
                    Http.Response answer = isRound
                            ? post(id, keeper, client, "/rounds", round)
                            : post(id, keeper, client, "/participants/" + first + "/score-changes", "{\"delta\":1}");
                    if (answer.status() == 200) {
                        (isRound ? rounds : changes).incrementAndGet();
                    } else if (answer.status() == 429) {
                        refused.add(answer);
                        limited.set(true);
                    } else {
                        unexpected.add(answer);
                    }
                }
            }));
        }
        for (Future<?> c : clients) {
            c.get();
        }
        pool.shutdown();

        assertThat(unexpected).extracting(r -> r.status() + " " + r.body()).isEmpty();
        assertThat(refused).as("writes beyond the board's rate").isNotEmpty().allSatisfy(r -> {
            BoardClient.assertRefused(r, Set.of("RATE_LIMITED"), r.body());
            assertThat(r.header("Retry-After")).as("Retry-After").matches("[1-9][0-9]*");
        });
        assertThat(changes.get() + rounds.get()).as("the burst is accepted").isGreaterThanOrEqualTo(100);

        long retryAfter = refused.stream().mapToLong(r -> Long.parseLong(r.header("Retry-After"))).max().orElseThrow();
        BoardClient.sleep(Duration.ofSeconds(retryAfter));
        Http.Response again = post(id, keeper, client, "/participants/" + first + "/score-changes", "{\"delta\":1}");
        assertThat(again.status()).as("after Retry-After: " + again.body()).isEqualTo(200);
        changes.incrementAndGet();

        // Only the accepted writes changed the board.
        assertThat(again.json().get("version").asLong()).isEqualTo(200 + changes.get() + rounds.get());
        long position = again.json().get("position").asLong();
        READ_BACKS.add(new ReadBack("the board written beyond its rate", () -> {
            Http.Response read = BoardClient.readAtPosition(system, API + "/" + id, position, client);
            assertThat(read.status()).as(read.body()).isEqualTo(200);
            BoardClient.exact(read).get("participants").forEach(p -> assertThat(p.get("score").asInt()).as(p.toString())
                    .isEqualTo(p.get("name").asText().equals("000") ? changes.get() + rounds.get() : rounds.get()));
        }));
    }

    /**
     * The board-creation rate (60 a minute per client) counts creates, not their size: a create of a body of
     * exactly 64 KiB, its participants' names all 100 characters long, is accepted as one of them; one past
     * the budget answers 429 RATE_LIMITED with Retry-After and creates nothing.
     */
    @Example
    void aCreateAtEveryLimit_isOneCreation_forTheRateLimit() throws Exception {
        String client = nextClient();
        long boards = boardsInStore();
        List<String> names = LimitInputs.longestNamesWithin(new Random(64), BoardModel.MAX_BODY - 300);
        String largest = BoardWrite.pad(BoardClient.createBody("ж".repeat(BoardModel.MAX_NAME), names),
                BoardWrite.Padding.TO_LIMIT);
        assertThat(BoardWrite.utf8(largest)).isEqualTo(BoardModel.MAX_BODY);
        Http.Response created = Http.post(system.commandUri(API), largest, "X-Forwarded-For", client);
        assertThat(created.status()).as(created.body()).isIn(201, 202);
        assertThat(created.json().get("participants")).hasSize(names.size());

        // then small creates from the same client, from 16 connections, until one is refused
        AtomicInteger accepted = new AtomicInteger(1);
        AtomicInteger sent = new AtomicInteger();
        List<Http.Response> refused = new CopyOnWriteArrayList<>();
        List<Http.Response> unexpected = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < 16; c++) {
            clients.add(pool.submit(() -> {
                while (refused.isEmpty() && sent.incrementAndGet() <= 200) {
                    Http.Response small = Http.post(system.commandUri(API), "{\"name\":\"Small\"}", "X-Forwarded-For", client);
                    if (small.status() == 429) {
                        refused.add(small);
                    } else if (small.status() == 201 || small.status() == 202) {
                        accepted.incrementAndGet();
                    } else {
                        unexpected.add(small);
                    }
                }
            }));
        }
        for (Future<?> c : clients) {
            c.get();
        }
        pool.shutdown();
        assertThat(unexpected).extracting(r -> r.status() + " " + r.body()).isEmpty();
        assertThat(refused).as("a create beyond the budget").isNotEmpty().allSatisfy(r -> {
            BoardClient.assertRefused(r, Set.of("RATE_LIMITED"), r.body());
            assertThat(r.header("Retry-After")).as("Retry-After").matches("[1-9][0-9]*");
        });
        assertThat(accepted.get()).as("the largest create took one creation of the 60").isGreaterThanOrEqualTo(60);
        assertThat(boardsInStore()).as("only accepted creates created boards").isEqualTo(boards + accepted.get());
    }

    // --- running a script -------------------------------------------------------------------------------------

    private static void run(BoardClient.Script script, boolean probeLimits) {
        BoardClient client = BoardClient.create(system, nextClient(), script, LimitsIT::boardsInStore);
        script.steps().forEach(client::write);
        if (probeLimits) {
            client.probeLimits();
        }
        READ_BACKS.add(new ReadBack(script.toString(), client.finish()));
    }

    private static Http.Response post(String board, String token, String client, String path, String body) {
        return Http.post(system.commandUri(API + "/" + board + path), body, "Authorization", token,
                "X-Forwarded-For", client);
    }

    /** Boards in the event store: the first event of each. Only the running script creates boards meanwhile. */
    private static long boardsInStore() {
        try (Statement s = eventStore.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM domain_event_entry WHERE sequence_number = 0")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String nextClient() {
        int n = CLIENTS.incrementAndGet();
        return "10.0." + (n / 250) + "." + (1 + n % 250);
    }

    /** Verify compares the read model with a recomputation: let the read side reach every stored event first. */
    private static void awaitReadSideAtStoreHead() {
        long head = Http.get(system.commandUri("/api/v1/ops/replication")).json().get("storePosition").asLong();
        String client = nextClient();
        org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(3)).until(() ->
                Http.get(system.commandUri("/api/v1/ops/replication")).json().get("lagEvents").asLong() == 0
                        && Http.send("GET", system.queryUri(API + "/" + UUID.randomUUID() + "?minPosition=" + head), null,
                        "X-Forwarded-For", client).status() == 404);
    }
}
