package io.scoreboard.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import net.jqwik.api.statistics.Statistics;

/**
 * One generated board's client (its own address through {@code X-Forwarded-For}): sends a script's create and
 * writes to the real command service and checks every answer against the board's {@link BoardModel}.
 */
final class BoardClient {

    static final String API = "/api/v1/scoreboards";
    static final String PROBLEM_JSON = "application/problem+json";
    /** Exact numbers: a score such as 999999999999999.9999 is no double. */
    private static final ObjectMapper EXACT = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    private static final BigDecimal LARGEST = new BigDecimal("999999999999999.9999");
    /** Reads answered 503 PROJECTION_BEHIND and read again. */
    static final AtomicInteger PROJECTION_BEHIND = new AtomicInteger();

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

    /** A write accepted with an Idempotency-Key: what a retry with that key must get back. */
    private record Remembered(String key, String identity, String method, String path, String body, int status,
                              JsonNode answer) {}

    private final RunningSystem system;
    private final String address;
    private final String board;
    private final String admin;
    private final BoardModel model;
    private final Map<String, Remembered> keys = new HashMap<>();
    private Remembered lastKeyed;

    private BoardClient(RunningSystem system, String address, String board, String admin, BoardModel model) {
        this.system = system;
        this.address = address;
        this.board = board;
        this.admin = admin;
        this.model = model;
    }

    /**
     * The script's faulty create (refused: {@code boardsInStore} stays as it was), then its create, and a retry
     * of that with its Idempotency-Key, if it has one.
     */
    static BoardClient create(RunningSystem system, String address, Script script, LongSupplier boardsInStore) {
        createRefused(system, address, script, boardsInStore);
        String key = script.createKey();
        String body = BoardWrite.pad(createBody(script.boardName(), script.participants()), script.createPadding());
        Http.Response created = Http.post(system.commandUri(API), body, createHeaders(address, key));
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
            assertReplayed(Http.post(system.commandUri(API), body, createHeaders(address, key)), 201, board);
        }
        return new BoardClient(system, address, board.get("scoreboardId").asText(),
                "Bearer " + board.get("adminToken").asText(), new BoardModel(script.boardName(), ids, script.participants()));
    }

    /** Sends one write (or repeats the last one sent with a key) and checks the answer; an accepted one updates the model. */
    void write(Step step) {
        if (step.write() instanceof BoardWrite.Replay) {
            if (lastKeyed != null) {
                Http.Response again = send(lastKeyed.method(), lastKeyed.path(), lastKeyed.body(), lastKeyed.key());
                assertReplayed(again, lastKeyed.status(), lastKeyed.answer());
                Statistics.label("accepted").collect("Replay");
            }
            return;
        }
        BoardWrite.Planned planned = step.write().plan(model);
        if (planned == null) {
            return;
        }
        Set<String> refusals = new LinkedHashSet<>(planned.refusals());
        Remembered earlier = step.key() == null ? null : keys.get(step.key());
        if (step.key() != null && !BoardModel.validKey(step.key())) {
            refusals.add("MALFORMED_REQUEST");
        } else if (earlier != null && !earlier.identity().equals(planned.identity())) {
            refusals.add("IDEMPOTENCY_KEY_REUSED");
        }
        Http.Response answer = send(planned.method(), planned.path(), planned.body(), step.key());
        String what = step + " → " + answer.status() + " " + answer.body();
        if (earlier != null && earlier.identity().equals(planned.identity())
                && !refusals.contains("PAYLOAD_TOO_LARGE") && !refusals.contains("MALFORMED_REQUEST")) {
            assertReplayed(answer, earlier.status(), earlier.answer()); // the same request with its key again
            Statistics.label("accepted").collect("Replay");
            return;
        }
        if (!refusals.isEmpty()) {
            assertRefused(answer, refusals, what);
            Statistics.label("refused").collect(answer.json().get("code").asText());
            return;
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

    /**
     * Every maximum once more, whatever the generated writes did: the participant limit (filled when the board is
     * within 5 of it, then one more), a round of exactly 64 KiB and one past it, then its undo; scores at both
     * edges of the range and one step past; a name of 101 characters; Idempotency-Keys of 255 and 256.
     */
    void probeLimits() {
        int missing = BoardModel.MAX_PARTICIPANTS - model.active().size();
        if (missing <= 5) {
            for (int i = 0; i <= missing; i++) { // the last one is one too many
                write(new Step(new BoardWrite.AddParticipant("Probe " + UUID.randomUUID()), null));
            }
        }
        List<BigDecimal> ones = Collections.nCopies(BoardModel.MAX_PARTICIPANTS, BigDecimal.ONE);
        if (model.active().size() >= 1_500) { // then more deltas than a 64 KiB body holds
            write(new Step(new BoardWrite.Round(ones, 0, null, true, BoardWrite.Padding.TO_LIMIT), null));
            write(new Step(new BoardWrite.Round(ones, 0, null, false, BoardWrite.Padding.NONE), null));
            write(new Step(new BoardWrite.Undo(), null));
        }
        write(new Step(new BoardWrite.RenameBoard("ж".repeat(BoardModel.MAX_NAME + 1)), null));
        if (!model.active().isEmpty()) {
            int who = model.everyone().indexOf(model.active().get(0).id());
            write(new Step(new BoardWrite.SetScore(who, LARGEST), "k".repeat(255)));
            write(new Step(new BoardWrite.ChangeScore(who, new BigDecimal("0.0001"), null), null));
            write(new Step(new BoardWrite.SetScore(who, LARGEST.negate()), "k".repeat(256)));
            write(new Step(new BoardWrite.SetScore(who, LARGEST.negate()), null));
            write(new Step(new BoardWrite.ChangeScore(who, new BigDecimal("-0.0001"), null), null));
        }
    }

    /**
     * A last accepted write, with a name of exactly 100 characters: its version shows that no refused write
     * before it appended anything. Returns the check that the query side shows exactly the model, to run once
     * the read side has caught up.
     */
    Runnable finish() {
        String finalName = ("Checked " + UUID.randomUUID() + " ").concat("ж".repeat(BoardModel.MAX_NAME)).substring(0, 100);
        Http.Response last = send("PATCH", "", BoardWrite.json(Map.of("name", finalName)), null);
        assertThat(last.status()).as(last.body()).isEqualTo(200);
        assertThat(last.json().get("version").asLong()).as("no refused write appended anything").isEqualTo(model.version + 1);
        model.name = finalName;
        model.version++;
        long position = last.json().get("position").asLong();
        assertThat(system.servicesAlive()).as("both services still run").isTrue();
        return () -> assertReadBack(position);
    }

    /** The query side, once it has the last write, shows exactly the model: name, version, every participant. */
    private void assertReadBack(long position) {
        Http.Response read = readAtPosition(system, API + "/" + board, position, address);
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

    private Http.Response send(String method, String path, String body, String key) {
        List<String> headers = new ArrayList<>(List.of("Authorization", admin, "X-Forwarded-For", address));
        if (key != null) {
            headers.addAll(List.of("Idempotency-Key", key));
        }
        return Http.send(method, system.commandUri(API + "/" + board + path), body, headers.toArray(String[]::new));
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
    private static void createRefused(RunningSystem system, String client, Script script, LongSupplier boardsInStore) {
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
        long boards = boardsInStore.getAsLong();
        Http.Response refused = Http.post(system.commandUri(API), body, createHeaders(client, key));
        assertRefused(refused, refusals, script.fault() + " → " + refused.status() + " " + refused.body());
        assertThat(boardsInStore.getAsLong()).as("a refused create creates nothing").isEqualTo(boards);
    }

    static String createBody(String name, List<String> participants) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("name", name);
        body.put("participants", participants);
        return BoardWrite.json(body);
    }

    private static String[] createHeaders(String client, String key) {
        return key == null ? new String[] {"X-Forwarded-For", client}
                : new String[] {"X-Forwarded-For", client, "Idempotency-Key", key};
    }

    // --- checks of answers ---------------------------------------------------------------------------------------

    /** A documented refusal: a 4xx problem+json whose code is one of {@code codes}, with that code's status. */
    static void assertRefused(Http.Response answer, Set<String> codes, String what) {
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

    /**
     * A read of {@code path} once the read side has {@code position}. While it has not (503 PROJECTION_BEHIND
     * after scoreboard.query.min-position-timeout), read again after Retry-After, as docs/api.md tells a
     * client to: after a create of thousands of participants the projection needs longer than that timeout.
     */
    static Http.Response readAtPosition(RunningSystem system, String path, long position, String client) {
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

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode exact(Http.Response response) {
        try {
            return EXACT.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON (status " + response.status() + "): " + response.body(), e);
        }
    }

    /** Distinct 3-character names (ignoring case): 10,001 of them fit in a 64 KiB body. */
    static List<String> threeCharacterNames(int count) {
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            names.add(String.format("%3s", Integer.toString(i, 36)).replace(' ', '0'));
        }
        return names;
    }

}
