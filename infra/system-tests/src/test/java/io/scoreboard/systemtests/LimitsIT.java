package io.scoreboard.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

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
 * mix them up. A failure shows the generated board and writes (the read-backs at the end name their
 * board's), and jqwik prints the seed; jqwik statistics show which writes were accepted at a limit and which
 * refusals came up.
 */
class LimitsIT {

    private static final String API = "/api/v1/scoreboards";
    private static final String PROBLEM_JSON = "application/problem+json";
    /** Exact numbers: a score such as 999999999999999.9999 is no double. */
    private static final ObjectMapper EXACT = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    /** Each generated board's client, each example's: 10.0.0.1, 10.0.0.2, … */
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    /** Reads answered 503 PROJECTION_BEHIND and read again: printed at the end. */
    private static final AtomicInteger PROJECTION_BEHIND = new AtomicInteger();

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
        writers = new OrdinaryWriters(system, 16, 2, 100, "203.0.113.");
    }

    @AfterContainer
    static void finish() throws Exception {
        try {
            if (writers != null) {
                writers.close();
                System.out.println("LimitsIT: ordinary writes by status: " + writers.statuses()
                        + "; minPosition reads answered PROJECTION_BEHIND and read again: " + PROJECTION_BEHIND);
                assertThat(system.servicesAlive()).as("both services still run").isTrue();
                assertThat(writers.statuses().keySet()).as("statuses of the ordinary writes: " + writers.statuses())
                        .allSatisfy(status -> assertThat(status).isLessThan(500));
                assertThat(writers.statuses().get(200)).as("ordinary writes went on").isNotNull();
                awaitReadSideAtStoreHead();
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

    /** What one generated board's client does: one create refused for one fault, the create, then the writes. */
    record Script(String boardName, List<String> participants, String createKey, BoardWrite.Padding createPadding,
                  CreateFault fault, List<Step> steps) {
        @Override
        public String toString() {
            String shown = participants.size() <= 20 ? participants.toString() : participants.size() + " names, from "
                    + participants.subList(0, 5) + " to " + participants.subList(participants.size() - 3, participants.size());
            return "Script[boardName=" + boardName + ", participants=" + shown + ", createKey=" + createKey
                    + ", createPadding=" + createPadding + ", fault=" + fault + ", steps=" + steps + "]";
        }
    }

    record Step(BoardWrite write, String key) {}

    /** How the create sent before the real one is refused. */
    enum CreateFault { TOO_MANY_PARTICIPANTS, NAME_TOO_LONG, BOARD_NAME_TOO_LONG, CONTROL_CHARACTER, DUPLICATE_NAME,
        KEY_TOO_LONG, BODY_ONE_OVER }

    /** Boards of a few participants, and long mixes of writes to them. */
    @Property(tries = 10, generation = GenerationMode.RANDOMIZED, edgeCases = EdgeCasesMode.NONE)
    void smallBoards_everyWriteGetsWhatTheLimitsSay(@ForAll("smallBoards") Script script) {
        run(script);
    }

    /** Boards of up to exactly 10,000 participants, rounds as large as a body holds, adds past the maximum. */
    @Property(tries = 2, generation = GenerationMode.RANDOMIZED, edgeCases = EdgeCasesMode.NONE)
    void largeBoards_everyWriteGetsWhatTheLimitsSay(@ForAll("largeBoards") Script script) {
        run(script);
    }

    @Provide
    Arbitrary<Script> smallBoards() {
        Arbitrary<List<String>> participants = Arbitraries.integers().between(0, 30)
                .flatMap(n -> LimitInputs.validNames().list().ofSize(n).uniqueElements(BoardModel::nameKey));
        return scripts(participants, Arbitraries.of(CreateFault.class), LimitInputs.writes(false), 6, 16);
    }

    @Provide
    Arbitrary<Script> largeBoards() {
        Arbitrary<Integer> counts = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(BoardModel.MAX_PARTICIPANTS)),
                Tuple.of(1, Arbitraries.integers().between(BoardModel.MAX_PARTICIPANTS - 3, BoardModel.MAX_PARTICIPANTS - 1)),
                Tuple.of(1, Arbitraries.integers().between(1_500, BoardModel.MAX_PARTICIPANTS)
                        .withDistribution(RandomDistribution.uniform())));
        // the create's body (name, key and padding aside) within 64 KiB, the board's name at most 400 bytes
        Arbitrary<List<String>> participants = Combinators.combine(counts, Arbitraries.randoms())
                .as((count, random) -> LimitInputs.namesWithin(random, count, BoardModel.MAX_BODY - 460));
        return scripts(participants, Arbitraries.just(CreateFault.TOO_MANY_PARTICIPANTS), LimitInputs.writes(true), 8, 14);
    }

    private static Arbitrary<Script> scripts(Arbitrary<List<String>> participants, Arbitrary<CreateFault> faults,
                                             Arbitrary<BoardWrite> writes, int minSteps, int maxSteps) {
        Arbitrary<Step> steps = Combinators.combine(writes, LimitInputs.keys()).as(Step::new);
        Arbitrary<BoardWrite.Padding> createPadding = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(BoardWrite.Padding.NONE)),
                Tuple.of(1, Arbitraries.just(BoardWrite.Padding.TO_LIMIT)));
        return Combinators.combine(LimitInputs.validNames(), participants, LimitInputs.createKeys(), createPadding,
                faults, steps.list().ofMinSize(minSteps).ofMaxSize(maxSteps)).as(Script::new);
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
        Http.Response created = Http.post(system.commandUri(API), createBody("Busy", threeCharacterNames(200)),
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
                            ? send(id, keeper, client, "POST", "/rounds", round, null)
                            : send(id, keeper, client, "POST", "/participants/" + first + "/score-changes",
                            "{\"delta\":1}", null);
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
            assertRefused(r, Set.of("RATE_LIMITED"), r.body());
            assertThat(r.header("Retry-After")).as("Retry-After").matches("[1-9][0-9]*");
        });
        assertThat(changes.get() + rounds.get()).as("the burst is accepted").isGreaterThanOrEqualTo(100);

        long retryAfter = refused.stream().mapToLong(r -> Long.parseLong(r.header("Retry-After"))).max().orElseThrow();
        sleep(Duration.ofSeconds(retryAfter));
        Http.Response again = send(id, keeper, client, "POST", "/participants/" + first + "/score-changes",
                "{\"delta\":1}", null);
        assertThat(again.status()).as("after Retry-After: " + again.body()).isEqualTo(200);
        changes.incrementAndGet();

        // Only the accepted writes changed the board.
        assertThat(again.json().get("version").asLong()).isEqualTo(200 + changes.get() + rounds.get());
        long position = again.json().get("position").asLong();
        READ_BACKS.add(new ReadBack("the board written beyond its rate", () -> {
            Http.Response read = readAtPosition(API + "/" + id, position, client);
            assertThat(read.status()).as(read.body()).isEqualTo(200);
            exact(read).get("participants").forEach(p -> assertThat(p.get("score").asInt()).as(p.toString())
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
        String largest = BoardWrite.pad(createBody("ж".repeat(BoardModel.MAX_NAME), names), BoardWrite.Padding.TO_LIMIT);
        assertThat(BoardWrite.utf8(largest)).isEqualTo(BoardModel.MAX_BODY);
        Http.Response created = Http.post(system.commandUri(API), largest, "X-Forwarded-For", client);
        assertThat(created.status()).as(created.body()).isIn(201, 202);
        assertThat(created.json().get("participants")).hasSize(names.size());

        // then small creates from the same client, from 8 connections, until one is refused
        AtomicInteger accepted = new AtomicInteger(1);
        AtomicInteger sent = new AtomicInteger();
        List<Http.Response> refused = new CopyOnWriteArrayList<>();
        List<Http.Response> unexpected = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
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
            assertRefused(r, Set.of("RATE_LIMITED"), r.body());
            assertThat(r.header("Retry-After")).as("Retry-After").matches("[1-9][0-9]*");
        });
        assertThat(accepted.get()).as("the largest create took one creation of the 60").isGreaterThanOrEqualTo(60);
        assertThat(boardsInStore()).as("only accepted creates created boards").isEqualTo(boards + accepted.get());
    }

    // --- running a script -------------------------------------------------------------------------------------

    /** A write accepted with an Idempotency-Key: what a retry with that key must get back. */
    private record Remembered(String key, String identity, String method, String path, String body, int status,
                              JsonNode answer) {}

    private static void run(Script script) {
        String client = nextClient();
        createRefused(script, client);

        String key = script.createKey();
        String createBody = BoardWrite.pad(createBody(script.boardName(), script.participants()), script.createPadding());
        Http.Response created = Http.post(system.commandUri(API), createBody, createHeaders(client, key));
        assertThat(created.status()).as(created.body()).isIn(201, 202);
        JsonNode board = exact(created);
        List<UUID> ids = new ArrayList<>();
        List<String> returnedNames = new ArrayList<>();
        board.get("participants").forEach(p -> {
            ids.add(UUID.fromString(p.get("participantId").asText()));
            returnedNames.add(p.get("name").asText());
        });
        assertThat(returnedNames).isEqualTo(script.participants().stream().map(String::strip).toList());
        assertThat(board.get("version").asLong()).isEqualTo(script.participants().size());
        if (key != null && created.status() == 201) {
            Http.Response again = Http.post(system.commandUri(API), createBody, createHeaders(client, key));
            assertReplayed(again, 201, board);
        }
        String id = board.get("scoreboardId").asText();
        String admin = "Bearer " + board.get("adminToken").asText();
        BoardModel model = new BoardModel(script.boardName(), ids, script.participants());

        Map<String, Remembered> keys = new HashMap<>();
        Remembered lastKeyed = null;
        for (Step step : script.steps()) {
            if (step.write() instanceof BoardWrite.Replay) {
                if (lastKeyed != null) {
                    Http.Response again = send(id, admin, client, lastKeyed.method(), lastKeyed.path(), lastKeyed.body(),
                            lastKeyed.key());
                    assertReplayed(again, lastKeyed.status(), lastKeyed.answer());
                    Statistics.label("accepted").collect("Replay");
                }
                continue;
            }
            BoardWrite.Planned planned = step.write().plan(model);
            if (planned == null) {
                continue;
            }
            Set<String> refusals = new LinkedHashSet<>(planned.refusals());
            Remembered earlier = step.key() == null ? null : keys.get(step.key());
            if (step.key() != null && !BoardModel.validKey(step.key())) {
                refusals.add("MALFORMED_REQUEST");
            } else if (earlier != null && !earlier.identity().equals(planned.identity())) {
                refusals.add("IDEMPOTENCY_KEY_REUSED");
            }
            Http.Response answer = send(id, admin, client, planned.method(), planned.path(), planned.body(), step.key());
            String what = step + " → " + answer.status() + " " + answer.body();
            if (earlier != null && earlier.identity().equals(planned.identity())
                    && !refusals.contains("PAYLOAD_TOO_LARGE") && !refusals.contains("MALFORMED_REQUEST")) {
                assertReplayed(answer, earlier.status(), earlier.answer()); // the same request with its key again
                Statistics.label("accepted").collect("Replay");
                continue;
            }
            if (!refusals.isEmpty()) {
                assertRefused(answer, refusals, what);
                Statistics.label("refused").collect(answer.json().get("code").asText());
                continue;
            }
            Statistics.label("accepted").collect(describe(step.write(), planned));
            assertThat(answer.status()).as(what).isEqualTo(planned.status());
            JsonNode json = exact(answer);
            assertThat(json.get("version").asLong()).as("the board's version after " + what)
                    .isEqualTo(model.version + planned.events());
            planned.accept().apply(model, json);
            model.version = json.get("version").asLong();
            if (step.key() != null) {
                lastKeyed = new Remembered(step.key(), planned.identity(), planned.method(), planned.path(), planned.body(),
                        answer.status(), json);
                keys.put(step.key(), lastKeyed);
            }
        }

        // A last accepted write: its version shows that no refused write before it appended anything.
        String finalName = "Checked " + UUID.randomUUID();
        Http.Response last = send(id, admin, client, "PATCH", "", BoardWrite.json(Map.of("name", finalName)), null);
        assertThat(last.status()).as(last.body()).isEqualTo(200);
        assertThat(last.json().get("version").asLong()).as("no refused write appended anything").isEqualTo(model.version + 1);
        model.name = finalName;
        model.version++;
        long lastPosition = last.json().get("position").asLong();

        READ_BACKS.add(new ReadBack(script.toString(), () -> assertReadBack(id, model, lastPosition, client)));
        assertThat(system.servicesAlive()).as("both services still run").isTrue();
    }

    /** For the statistics jqwik prints: which accepted writes were at a limit. */
    private static String describe(BoardWrite write, BoardWrite.Planned planned) {
        String kind = write.getClass().getSimpleName();
        if (BoardWrite.utf8(planned.body() == null ? "" : planned.body()) == BoardModel.MAX_BODY) {
            return kind + ", a body of exactly 64 KiB";
        }
        if (write instanceof BoardWrite.Round && planned.body().length() > 40_000) {
            return "Round, over 1,000 deltas";
        }
        String name = "";
        if (write instanceof BoardWrite.AddParticipant add) {
            name = add.name();
        } else if (write instanceof BoardWrite.RenameParticipant rename) {
            name = rename.name();
        } else if (write instanceof BoardWrite.RenameBoard rename) {
            name = rename.name();
        }
        return name.codePointCount(0, name.length()) == BoardModel.MAX_NAME ? kind + ", a name of 100 characters" : kind;
    }

    /** One create refused for one fault; it creates nothing. */
    private static void createRefused(Script script, String client) {
        List<String> participants = new ArrayList<>(script.participants());
        String name = script.boardName();
        String key = script.createKey();
        BoardWrite.Padding padding = BoardWrite.Padding.NONE;
        String code;
        switch (script.fault()) {
            case TOO_MANY_PARTICIPANTS -> {
                participants = threeCharacterNames(BoardModel.MAX_PARTICIPANTS + 1);
                code = "LIMIT_EXCEEDED";
            }
            case NAME_TOO_LONG -> {
                participants.add("😀".repeat(BoardModel.MAX_NAME + 1));
                code = "INVALID_INPUT";
            }
            case BOARD_NAME_TOO_LONG -> {
                name = "ж".repeat(BoardModel.MAX_NAME + 1);
                code = "INVALID_INPUT";
            }
            case CONTROL_CHARACTER -> {
                name = "Bell\u0007Board";
                code = "INVALID_INPUT";
            }
            case DUPLICATE_NAME -> {
                String first = participants.isEmpty() ? "Ab" : participants.get(0);
                String upper = first.toUpperCase(java.util.Locale.ROOT);
                String variant = upper.equals(first) ? first.toLowerCase(java.util.Locale.ROOT) : upper;
                if (participants.isEmpty()) {
                    participants.add(first);
                }
                participants.add(BoardModel.nameKey(variant).equals(BoardModel.nameKey(first)) ? variant : first);
                code = "DUPLICATE_PARTICIPANT_NAME";
            }
            case KEY_TOO_LONG -> {
                key = "a".repeat(256);
                code = "MALFORMED_REQUEST";
            }
            case BODY_ONE_OVER -> {
                padding = BoardWrite.Padding.ONE_OVER;
                code = "PAYLOAD_TOO_LARGE";
            }
            default -> throw new IllegalStateException(script.fault().name());
        }
        String body = BoardWrite.pad(createBody(name, participants), padding);
        Set<String> refusals = new LinkedHashSet<>(Set.of(code));
        if (BoardWrite.utf8(body) > BoardModel.MAX_BODY) {
            refusals.add("PAYLOAD_TOO_LARGE");
        }
        long boards = boardsInStore();
        Http.Response refused = Http.post(system.commandUri(API), body, createHeaders(client, key));
        assertRefused(refused, refusals, script.fault() + " → " + refused.status() + " " + refused.body());
        assertThat(boardsInStore()).as("a refused create creates nothing").isEqualTo(boards);
    }

    private static String createBody(String name, List<String> participants) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("name", name);
        body.put("participants", participants);
        return BoardWrite.json(body);
    }

    private static String[] createHeaders(String client, String key) {
        return key == null ? new String[] {"X-Forwarded-For", client}
                : new String[] {"X-Forwarded-For", client, "Idempotency-Key", key};
    }

    private static Http.Response send(String board, String admin, String client, String method, String path, String body,
                                      String key) {
        List<String> headers = new ArrayList<>(List.of("Authorization", admin, "X-Forwarded-For", client));
        if (key != null) {
            headers.addAll(List.of("Idempotency-Key", key));
        }
        return Http.send(method, system.commandUri(API + "/" + board + path), body, headers.toArray(String[]::new));
    }

    // --- the checks ---------------------------------------------------------------------------------------------

    /** A documented refusal: a 4xx problem+json whose code is one of {@code codes}, with that code's status. */
    private static void assertRefused(Http.Response answer, Set<String> codes, String what) {
        assertThat(answer.status()).as(what).isIn(codes.stream().map(BoardModel.STATUS_OF::get).toList());
        assertThat(answer.contentType()).as(what).startsWith(PROBLEM_JSON);
        JsonNode problem = answer.json();
        assertThat(problem.get("code").asText()).as(what).isIn(codes);
        assertThat(BoardModel.STATUS_OF.get(problem.get("code").asText())).as(what).isEqualTo(answer.status());
        assertThat(problem.get("status").asInt()).as(what).isEqualTo(answer.status());
    }

    private static void assertReplayed(Http.Response answer, int status, JsonNode first) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.header("Idempotent-Replayed")).as("a retry with the same key").isEqualTo("true");
        assertThat(exact(answer)).as("the first answer, again").isEqualTo(first);
    }

    /** The query side, once it has the last write, shows exactly the model: name, version, every participant. */
    private static void assertReadBack(String board, BoardModel model, long position, String client) {
        Http.Response read = readAtPosition(API + "/" + board, position, client);
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        JsonNode view = exact(read);
        assertThat(view.get("name").asText()).isEqualTo(model.name);
        assertThat(view.get("version").asLong()).isEqualTo(model.version);
        assertThat(view.get("deleted").asBoolean()).isFalse();
        Map<String, BigDecimal> shown = new HashMap<>();
        view.get("participants").forEach(p -> shown.put(p.get("name").asText(), p.get("score").decimalValue()));
        Map<String, BigDecimal> expected = new HashMap<>();
        model.active().forEach(p -> expected.put(p.name(), p.score()));
        assertThat(view.get("participants").size()).isEqualTo(expected.size());
        assertThat(shown.keySet()).isEqualTo(expected.keySet());
        expected.forEach((name, score) -> assertThat(shown.get(name)).as(name).isEqualByComparingTo(score));

        if (expected.size() <= 1_000) { // one page: each participant by id, as the client knows them
            Http.Response page = Http.get(system.queryUri(API + "/" + board + "/leaderboard?limit=1000"));
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            JsonNode leaderboard = exact(page);
            assertThat(leaderboard.get("total").asInt()).isEqualTo(expected.size());
            Map<UUID, String> names = new HashMap<>();
            leaderboard.get("participants").forEach(p -> {
                UUID id = UUID.fromString(p.get("participantId").asText());
                names.put(id, p.get("name").asText());
                assertThat(p.get("score").decimalValue()).isEqualByComparingTo(model.participant(id).score());
            });
            Map<UUID, String> expectedNames = new HashMap<>();
            model.active().forEach(p -> expectedNames.put(p.id(), p.name()));
            assertThat(names).isEqualTo(expectedNames);
        }
    }

    /**
     * A read of {@code path} once the read side has {@code position}. While it has not (503 PROJECTION_BEHIND
     * after scoreboard.query.min-position-timeout), read again after Retry-After, as docs/api.md tells a
     * client to: after a create of thousands of participants the projection needs longer than that timeout.
     */
    private static Http.Response readAtPosition(String path, long position, String client) {
        for (int attempt = 1; ; attempt++) {
            Http.Response read = Http.send("GET", system.queryUri(path + "?minPosition=" + position), null,
                    "X-Forwarded-For", client);
            if (read.status() != 503 || !"PROJECTION_BEHIND".equals(read.json().path("code").asText()) || attempt == 30) {
                return read;
            }
            PROJECTION_BEHIND.incrementAndGet();
            sleep(Duration.ofSeconds(Long.parseLong(read.header("Retry-After"))));
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode exact(Http.Response response) {
        try {
            return EXACT.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON (status " + response.status() + "): " + response.body(), e);
        }
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

    /** Distinct 3-character names (ignoring case): 10,001 of them fit in a 64 KiB body. */
    private static List<String> threeCharacterNames(int count) {
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            names.add(String.format("%3s", Integer.toString(i, 36)).replace(' ', '0'));
        }
        return names;
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
