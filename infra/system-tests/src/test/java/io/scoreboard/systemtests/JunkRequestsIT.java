package io.scoreboard.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoreboard.events.FirstTokens;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Junk against every write endpoint of the command API, generated with jqwik: malformed and
 * mistyped JSON, huge and over-precise numbers, unknown fields, non-UUID ids, odd, missing and
 * garbage Authorization, If-Match and Idempotency-Key headers, odd content types, oversize and
 * chunked bodies. The whole system runs as in production (both service jars as processes, real
 * PostgreSQL, real Kafka), shared by every property of this class.
 *
 * <p>For every request: never a 5xx; every 4xx is {@code application/problem+json} with its status
 * and a detail; and a request answered with a 4xx appends nothing to the event store. Every request
 * sent is junk in at least one way that docs/api.md says must be refused (a request that could
 * legitimately succeed is discarded before it is sent, so the board never changes and every
 * answer must be a 4xx). Parts that might or might not be acceptable ({@link Validity#UNSURE}) are
 * sent only together with a part that is certainly not.
 *
 * <p>A failure shows the shrunk request and the answer; jqwik prints the seed, and by default runs
 * the last failing sample first on the next run (it keeps it in {@code .jqwik-database}).
 */
class JunkRequestsIT {

    /** Per property (one per write endpoint); the class runs in about 20–30 s, start-up included. */
    private static final int TRIES = 100;
    /** The board's version while junk is sent: created, Ann, Bob, team Red (If-Match names it). */
    private static final long VERSION = 3;
    /** scoreboard.http.max-body-size, the command service's default. */
    private static final int MAX_BODY = 64 * 1024;
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String API = "/api/v1/scoreboards";

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private static RunningSystem system;
    private static Connection eventStore;
    private static String board;
    private static String adminToken;
    private static String scorekeeperToken;
    private static String ann;
    /** The id of the board's scorekeeper token: what a valid revocation would name. */
    private static String scorekeeperTokenId;
    private static String bob;
    /** The board's one team, Red: what a valid team id names. */
    private static String red;
    /** status → count, over the whole class: printed at the end. */
    private static final Map<Integer, Integer> STATUSES = new TreeMap<>();

    @BeforeContainer
    static void start() throws SQLException {
        system = RunningSystem.start("JunkRequestsIT");
        Http.Response created = Http.post(system.commandUri(API),
                "{\"name\":\"Junk target\",\"participants\":[\"Ann\",\"Bob\"]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode json = created.json();
        board = json.get("scoreboardId").asText();
        adminToken = json.get("adminToken").asText();
        scorekeeperToken = json.get("scorekeeperToken").asText();
        for (JsonNode p : json.get("participants")) {
            if (p.get("name").asText().equals("Ann")) {
                ann = p.get("participantId").asText();
            } else {
                bob = p.get("participantId").asText();
            }
        }
        // Only junk is sent, so the scorekeeper token is never revoked; if it were, the properties would say so.
        scorekeeperTokenId = FirstTokens.scorekeeperTokenId(UUID.fromString(board)).toString();
        Http.Response team = Http.post(system.commandUri(API + "/" + board + "/teams"), "{\"name\":\"Red\"}",
                "Authorization", "Bearer " + adminToken);
        assertThat(team.status()).as(team.body()).isEqualTo(201);
        red = team.json().get("teamId").asText();
        assertThat(team.json().get("version").asLong()).as("If-Match VERSION is the board's version below")
                .isEqualTo(VERSION);
        eventStore = DriverManager.getConnection(system.databases.eventsJdbcUrl(),
                system.databases.appRole().user(), system.databases.appRole().password());
    }

    @AfterContainer
    static void stop() throws SQLException {
        System.out.println("JunkRequestsIT: answers by status: " + summary(STATUSES));
        try {
            if (eventStore != null) {
                eventStore.close();
            }
        } finally {
            if (system != null) {
                system.close();
            }
        }
    }

    // --- one property per write endpoint (docs/api.md, the command API) ---------------------------------------

    @Property(tries = TRIES)
    void createBoard(@ForAll("createBoardJunk") Junk junk) {
        sendAndCheck(junk);
    }

    @Property(tries = TRIES)
    void changeBoard(@ForAll("changeBoardJunk") Junk junk) {
        sendAndCheck(junk);
    }

    @Property(tries = TRIES)
    void deleteBoard(@ForAll("deleteBoardJunk") Junk junk) {
        sendAndCheck(junk);
    }

    @Property(tries = TRIES)
    void restoreBoard(@ForAll("restoreBoardJunk") Junk junk) {
        sendAndCheck(junk);
    }

    @Property(tries = TRIES)
    void addParticipant(@ForAll("addParticipantJunk") Junk junk) {
        sendAndCheck(junk);
    }

    @Property(tries = TRIES)
    void renameParticipant(@ForAll("renameParticipantJunk") Junk junk) {
        sendAndCheck(junk);
    }

    @Property(tries = TRIES)
    void removeParticipant(@ForAll("removeParticipantJunk") Junk junk) {
        sendAndCheck(junk);
    }

    @Property(tries = TRIES)
    void changeScore(@ForAll("changeScoreJunk") Junk junk) {
        sendAndCheck(junk);
    }

    @Property(tries = TRIES)
    void setScore(@ForAll("setScoreJunk") Junk junk) {
        sendAndCheck(junk);
    }

    @Property(tries = TRIES)
    void recordRound(@ForAll("recordRoundJunk") Junk junk) {
        sendAndCheck(junk);
    }

    @Property(tries = TRIES)
    void issueToken(@ForAll("issueTokenJunk") Junk junk) {
        sendAndCheck(junk);
    }

    @Property(tries = TRIES)
    void rewind(@ForAll("rewindJunk") Junk junk) {
        sendAndCheck(junk);
    }

    @Property(tries = TRIES)
    void revokeToken(@ForAll("revokeTokenJunk") Junk junk) {
        sendAndCheck(junk);
    }

    @Property(tries = TRIES)
    void undo(@ForAll("undoJunk") Junk junk) {
        sendAndCheck(junk);
    }

    @Property(tries = TRIES)
    void createTeam(@ForAll("createTeamJunk") Junk junk) {
        sendAndCheck(junk);
    }

    @Property(tries = TRIES)
    void renameTeam(@ForAll("renameTeamJunk") Junk junk) {
        sendAndCheck(junk);
    }

    @Property(tries = TRIES)
    void removeTeam(@ForAll("removeTeamJunk") Junk junk) {
        sendAndCheck(junk);
    }

    @Property(tries = TRIES)
    void changeParticipantTeam(@ForAll("changeParticipantTeamJunk") Junk junk) {
        sendAndCheck(junk);
    }

    /**
     * The size limit at its edge, on a board of its own (these requests succeed): a body of exactly
     * the limit is accepted, one byte more is refused with 413, with and without Content-Length.
     */
    @Example
    void aBodyOfExactlyTheLimitIsAccepted_oneByteMoreIsRefused() throws SQLException {
        Http.Response created = Http.post(system.commandUri(API), "{\"name\":\"Edge\",\"participants\":[\"Eve\"]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String edgeBoard = created.json().get("scoreboardId").asText();
        String eve = created.json().get("participants").get(0).get("participantId").asText();
        String auth = "Bearer " + created.json().get("adminToken").asText();
        URI uri = system.commandUri(API + "/" + edgeBoard + "/participants/" + eve + "/score-changes");
        for (boolean chunked : new boolean[] {false, true}) {
            byte[] atLimit = padded("{\"delta\": 1}", MAX_BODY);
            Sent accepted = send("POST", uri, atLimit, chunked, "Content-Type", "application/json",
                    "Authorization", auth);
            assertThat(accepted.status()).as(accepted.describe()).isEqualTo(200);

            long before = storedEvents();
            Sent refused = send("POST", uri, padded("{\"delta\": 1}", MAX_BODY + 1), chunked,
                    "Content-Type", "application/json", "Authorization", auth);
            assertThat(refused.status()).as(refused.describe()).isEqualTo(413);
            assertProblem(refused);
            JsonNode problem = refused.json();
            assertThat(problem.get("type").asText()).isEqualTo("urn:scoreboard:problem:payload-too-large");
            assertThat(problem.get("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
            assertThat(problem.get("title").asText()).isNotBlank();
            assertThat(problem.get("instance").asText()).isEqualTo(uri.getPath());
            assertThat(problem.get("detail").asText()).contains("65536").contains("scoreboard.http.max-body-size");
            assertThat(storedEvents()).as("a refused body appends nothing").isEqualTo(before);
        }
    }

    // --- the check --------------------------------------------------------------------------------

    private static void sendAndCheck(Junk junk) {
        Assume.that(junk.isCertainlyInvalid());
        long before = storedEvents();
        Sent sent = junk.send();
        int status = sent.status();
        synchronized (STATUSES) {
            STATUSES.merge(status, 1, Integer::sum);
        }
        Statistics.label("status").collect(status);

        assertThat(status).as("never a 5xx for bad input: %s", sent.describe()).isLessThan(500);
        assertThat(status).as("junk is refused with a 4xx: %s", sent.describe()).isBetween(400, 499);
        assertProblem(sent);
        assertThat(storedEvents()).as("a refused request appends nothing: %s", sent.describe()).isEqualTo(before);
        if (junk.body().length() > MAX_BODY) {
            assertThat(status).as("an oversize body is refused first: %s", sent.describe()).isEqualTo(413);
            assertThat(sent.json().get("type").asText()).isEqualTo("urn:scoreboard:problem:payload-too-large");
        } else {
            assertThat(status).as("a body within the limit is not 413: %s", sent.describe()).isNotEqualTo(413);
        }
    }

    private static void assertProblem(Sent sent) {
        assertThat(sent.header("Content-Type")).as("a 4xx is problem+json: %s", sent.describe())
                .startsWith(PROBLEM_JSON);
        JsonNode problem = sent.json();
        assertThat(problem.path("status").asInt()).as("status in the problem: %s", sent.describe())
                .isEqualTo(sent.status());
        assertThat(problem.path("detail").asText()).as("a detail in the problem: %s", sent.describe()).isNotBlank();
    }

    private static long storedEvents() {
        try (Statement s = eventStore.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM domain_event_entry")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count the stored events", e);
        }
    }

    // --- the request model --------------------------------------------------------------------------

    /** Whether a part of a request is acceptable: certainly, perhaps (coercions, no-ops), certainly not. */
    enum Validity {
        VALID, UNSURE, INVALID;

        static Validity worst(Validity... all) {
            Validity worst = VALID;
            for (Validity v : all) {
                if (v == INVALID) {
                    return INVALID;
                }
                if (v == UNSURE) {
                    worst = UNSURE;
                }
            }
            return worst;
        }
    }

    enum Role { NONE, ADMIN, SCOREKEEPER }

    /** The command API: every write. */
    enum Endpoint {
        CREATE_BOARD("POST", "", Role.NONE, true),
        CHANGE_BOARD("PATCH", "/{board}", Role.ADMIN, true),
        DELETE_BOARD("DELETE", "/{board}", Role.ADMIN, false),
        RESTORE_BOARD("POST", "/{board}/restore", Role.ADMIN, false),
        ADD_PARTICIPANT("POST", "/{board}/participants", Role.ADMIN, true),
        RENAME_PARTICIPANT("PATCH", "/{board}/participants/{participant}", Role.ADMIN, true),
        REMOVE_PARTICIPANT("DELETE", "/{board}/participants/{participant}", Role.ADMIN, false),
        CHANGE_SCORE("POST", "/{board}/participants/{participant}/score-changes", Role.SCOREKEEPER, true),
        SET_SCORE("PUT", "/{board}/participants/{participant}/score", Role.SCOREKEEPER, true),
        RECORD_ROUND("POST", "/{board}/rounds", Role.SCOREKEEPER, true),
        UNDO("POST", "/{board}/undo", Role.SCOREKEEPER, false),
        ISSUE_TOKEN("POST", "/{board}/tokens", Role.ADMIN, true),
        REWIND("POST", "/{board}/rewind", Role.ADMIN, true),
        REVOKE_TOKEN("DELETE", "/{board}/tokens/{token}", Role.ADMIN, false),
        CREATE_TEAM("POST", "/{board}/teams", Role.ADMIN, true),
        RENAME_TEAM("PATCH", "/{board}/teams/{team}", Role.ADMIN, true),
        REMOVE_TEAM("DELETE", "/{board}/teams/{team}", Role.ADMIN, false),
        CHANGE_PARTICIPANT_TEAM("PUT", "/{board}/participants/{participant}/team", Role.ADMIN, true);

        final String method;
        final String pathTemplate;
        final Role role;
        final boolean takesBody;

        Endpoint(String method, String pathTemplate, Role role, boolean takesBody) {
            this.method = method;
            this.pathTemplate = pathTemplate;
            this.role = role;
            this.takesBody = takesBody;
        }

        boolean onBoard() {
            return pathTemplate.contains("{board}");
        }

        boolean onParticipant() {
            return pathTemplate.contains("{participant}");
        }

        /** The token's id takes the participant's place in the request model: one id below the board. */
        boolean onToken() {
            return pathTemplate.contains("{token}");
        }

        /** A team's id, likewise. */
        boolean onTeam() {
            return pathTemplate.contains("{team}");
        }
    }

    /** A path segment or header value; {@code value == null} means an absent header. */
    record Part(String value, Validity validity) {
        static Part valid(String value) {
            return new Part(value, Validity.VALID);
        }

        static Part unsure(String value) {
            return new Part(value, Validity.UNSURE);
        }

        static Part invalid(String value) {
            return new Part(value, Validity.INVALID);
        }
    }

    /** A request body: {@code bytes == null} means none at all. */
    record Body(byte[] bytes, Validity validity) {
        int length() {
            return bytes == null ? 0 : bytes.length;
        }

        @Override
        public String toString() {
            if (bytes == null) {
                return "(no body)";
            }
            String text = new String(bytes, StandardCharsets.UTF_8);
            String shown = text.length() > 300 ? text.substring(0, 300) + "…" : text;
            return bytes.length + " bytes: " + shown.replace("\n", "\\n").replace("\r", "\\r");
        }
    }

    /** Headers that the body's parts decide together. */
    record Headers(Part authorization, Part ifMatch, Part idempotencyKey, Part contentType) {}

    record Junk(Endpoint endpoint, Part boardId, Part participantId, Headers headers, Body body, boolean chunked) {

        /** Junk in at least one way that must be refused: safe to send, must not succeed. */
        boolean isCertainlyInvalid() {
            if (body.length() > MAX_BODY) {
                return true;
            }
            List<Validity> decisive = new ArrayList<>();
            decisive.add(headers.idempotencyKey().validity());
            if (endpoint.onBoard()) {
                decisive.add(boardId.validity());
                decisive.add(headers.authorization().validity());
                decisive.add(headers.ifMatch().validity());
            }
            if (endpoint.onParticipant() || endpoint.onToken() || endpoint.onTeam()) {
                decisive.add(participantId.validity());
            }
            if (endpoint.takesBody) {
                decisive.add(body.validity());
                if (body.bytes() != null && body.length() > 0) {
                    decisive.add(headers.contentType().validity());
                }
            }
            return decisive.contains(Validity.INVALID);
        }

        String path() {
            return API + endpoint.pathTemplate.replace("{board}", boardId.value())
                    .replace("{participant}", participantId.value()).replace("{token}", participantId.value())
                    .replace("{team}", participantId.value());
        }

        Sent send() {
            List<String> headerList = new ArrayList<>();
            addHeader(headerList, "Authorization", headers.authorization());
            addHeader(headerList, "If-Match", headers.ifMatch());
            addHeader(headerList, "Idempotency-Key", headers.idempotencyKey());
            addHeader(headerList, "Content-Type", headers.contentType());
            return JunkRequestsIT.send(endpoint.method, system.commandUri(path()), body.bytes(), chunked,
                    headerList.toArray(String[]::new));
        }

        private static void addHeader(List<String> headers, String name, Part part) {
            if (part.value() != null) {
                headers.add(name);
                headers.add(part.value());
            }
        }

        @Override
        public String toString() {
            return endpoint + " " + endpoint.method + " " + path() + " Authorization=" + headers.authorization()
                    + " If-Match=" + headers.ifMatch() + " Idempotency-Key=" + headers.idempotencyKey()
                    + " Content-Type=" + headers.contentType() + (chunked ? " chunked" : "") + " body=" + body;
        }
    }

    // --- sending ------------------------------------------------------------------------------------

    record Sent(String method, URI uri, String[] headers, byte[] body, boolean chunked, int status,
                java.net.http.HttpHeaders responseHeaders, String responseBody) {
        String header(String name) {
            return responseHeaders.firstValue(name).orElse(null);
        }

        JsonNode json() {
            try {
                return Http.JSON.readTree(responseBody);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + describe(), e);
            }
        }

        String describe() {
            StringBuilder text = new StringBuilder("\n  request:  ").append(method).append(' ').append(uri);
            for (int i = 0; i < headers.length; i += 2) {
                text.append("\n            ").append(headers[i]).append(": ").append(headers[i + 1]);
            }
            text.append("\n            ").append(chunked ? "(chunked) " : "").append(new Body(body, Validity.UNSURE));
            String shown = responseBody.length() > 600 ? responseBody.substring(0, 600) + "…" : responseBody;
            return text.append("\n  response: ").append(status).append(' ').append(header("Content-Type"))
                    .append(' ').append(shown).toString();
        }
    }

    private static Sent send(String method, URI uri, byte[] body, boolean chunked, String... headers) {
        HttpRequest.BodyPublisher publisher;
        if (body == null) {
            publisher = HttpRequest.BodyPublishers.noBody();
        } else if (chunked) {
            publisher = HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body));
        } else {
            publisher = HttpRequest.BodyPublishers.ofByteArray(body);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .method(method, publisher);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Sent(method, uri, headers, body, chunked, response.statusCode(), response.headers(),
                    response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("no answer to " + method + " " + uri + " " + Arrays.toString(headers)
                    + " " + new Body(body, Validity.UNSURE), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code json} with leading blanks up to exactly {@code size} bytes (still the same JSON). */
    private static byte[] padded(String json, int size) {
        byte[] content = json.getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[Math.max(size, content.length)];
        Arrays.fill(bytes, (byte) ' ');
        System.arraycopy(content, 0, bytes, bytes.length - content.length, content.length);
        return bytes;
    }

    // --- providers: one per endpoint ------------------------------------------------------------------

    @Provide
    Arbitrary<Junk> createBoardJunk() {
        return junk(Endpoint.CREATE_BOARD);
    }

    @Provide
    Arbitrary<Junk> changeBoardJunk() {
        return junk(Endpoint.CHANGE_BOARD);
    }

    @Provide
    Arbitrary<Junk> deleteBoardJunk() {
        return junk(Endpoint.DELETE_BOARD);
    }

    @Provide
    Arbitrary<Junk> restoreBoardJunk() {
        return junk(Endpoint.RESTORE_BOARD);
    }

    @Provide
    Arbitrary<Junk> addParticipantJunk() {
        return junk(Endpoint.ADD_PARTICIPANT);
    }

    @Provide
    Arbitrary<Junk> renameParticipantJunk() {
        return junk(Endpoint.RENAME_PARTICIPANT);
    }

    @Provide
    Arbitrary<Junk> removeParticipantJunk() {
        return junk(Endpoint.REMOVE_PARTICIPANT);
    }

    @Provide
    Arbitrary<Junk> changeScoreJunk() {
        return junk(Endpoint.CHANGE_SCORE);
    }

    @Provide
    Arbitrary<Junk> setScoreJunk() {
        return junk(Endpoint.SET_SCORE);
    }

    @Provide
    Arbitrary<Junk> recordRoundJunk() {
        return junk(Endpoint.RECORD_ROUND);
    }

    @Provide
    Arbitrary<Junk> undoJunk() {
        return junk(Endpoint.UNDO);
    }

    @Provide
    Arbitrary<Junk> issueTokenJunk() {
        return junk(Endpoint.ISSUE_TOKEN);
    }

    @Provide
    Arbitrary<Junk> rewindJunk() {
        return junk(Endpoint.REWIND);
    }

    @Provide
    Arbitrary<Junk> revokeTokenJunk() {
        return junk(Endpoint.REVOKE_TOKEN);
    }

    @Provide
    Arbitrary<Junk> createTeamJunk() {
        return junk(Endpoint.CREATE_TEAM);
    }

    @Provide
    Arbitrary<Junk> renameTeamJunk() {
        return junk(Endpoint.RENAME_TEAM);
    }

    @Provide
    Arbitrary<Junk> removeTeamJunk() {
        return junk(Endpoint.REMOVE_TEAM);
    }

    @Provide
    Arbitrary<Junk> changeParticipantTeamJunk() {
        return junk(Endpoint.CHANGE_PARTICIPANT_TEAM);
    }

    /**
     * Half broad (every part may be junk), and for endpoints with a body half deep: path and
     * headers right, so the junk body reaches the parser, the controller and the aggregate.
     */
    private static Arbitrary<Junk> junk(Endpoint endpoint) {
        Arbitrary<Part> below = endpoint.onToken() ? tokenIds() : endpoint.onTeam() ? teamIds() : participantIds();
        Arbitrary<Junk> broad = Combinators.combine(boardIds(), below, headers(endpoint),
                        endpoint.takesBody ? bodies(endpoint, false) : anyBodies(), Arbitraries.of(false, true))
                .as((b, p, h, body, chunked) -> new Junk(endpoint, b, p, h, body, chunked));
        if (!endpoint.takesBody) {
            return broad;
        }
        Arbitrary<Part> validBelow = endpoint.onToken() ? Arbitraries.of(Part.valid(scorekeeperTokenId))
                : endpoint.onTeam() ? Arbitraries.of(Part.valid(red)) : validParticipantIds();
        Arbitrary<Junk> deep = Combinators.combine(validBoardIds(), validBelow, deepHeaders(endpoint),
                        bodies(endpoint, true), Arbitraries.of(false, true))
                .as((b, p, h, body, chunked) -> new Junk(endpoint, b, p, h, body, chunked));
        return Arbitraries.frequencyOf(Tuple.of(1, broad), Tuple.of(1, deep));
    }

    // --- path ids -----------------------------------------------------------------------------------

    private static Arbitrary<Part> validBoardIds() {
        return Arbitraries.of(Part.valid(board), Part.valid(board.toUpperCase(Locale.ROOT)));
    }

    private static Arbitrary<Part> validParticipantIds() {
        return Arbitraries.of(Part.valid(ann), Part.valid(bob), Part.valid(ann.toUpperCase(Locale.ROOT)));
    }

    private static Arbitrary<Part> boardIds() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, validBoardIds()),
                Tuple.of(2, unknownUuids()),
                Tuple.of(3, nonUuidSegments()),
                Tuple.of(1, Arbitraries.of(Part.invalid(ann)))); // a participant's id is no board
    }

    private static Arbitrary<Part> participantIds() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, validParticipantIds()),
                Tuple.of(2, unknownUuids()),
                Tuple.of(3, nonUuidSegments()),
                Tuple.of(1, Arbitraries.of(Part.invalid(board)))); // a board's id is no participant
    }

    /** The board's scorekeeper token's id (a valid revocation), or ids no token of the board has. */
    private static Arbitrary<Part> tokenIds() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of(Part.valid(scorekeeperTokenId), Part.valid(scorekeeperTokenId.toUpperCase(Locale.ROOT)))),
                Tuple.of(2, unknownUuids()),
                Tuple.of(3, nonUuidSegments()),
                Tuple.of(1, Arbitraries.of(Part.invalid(ann), Part.invalid(board))));
    }

    /** The board's team Red (valid), or ids no team of the board has. */
    private static Arbitrary<Part> teamIds() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of(Part.valid(red), Part.valid(red.toUpperCase(Locale.ROOT)))),
                Tuple.of(2, unknownUuids()),
                Tuple.of(3, nonUuidSegments()),
                Tuple.of(1, Arbitraries.of(Part.invalid(ann), Part.invalid(board))));
    }

    private static Arbitrary<Part> unknownUuids() {
        return Arbitraries.oneOf(
                Arbitraries.randoms().map(r -> Part.invalid(new UUID(r.nextLong(), r.nextLong()).toString())),
                Arbitraries.of(Part.invalid("00000000-0000-0000-0000-000000000000"), Part.invalid("1-1-1-1-1"),
                        Part.invalid("ffffffff-ffff-ffff-ffff-ffffffffffff")));
    }

    /**
     * Path segments that are not a UUID (already percent-encoded where needed). Not here: what
     * Tomcat refuses before any servlet runs (an encoded slash or backslash, %00, invalid UTF-8,
     * headers over 8 KB); it answers those with its own HTML 400, not problem+json.
     */
    private static Arbitrary<Part> nonUuidSegments() {
        return Arbitraries.oneOf(
                Arbitraries.of("not-a-uuid", "123", "0", "-1", "null", "undefined", "true", "%20", "%20%20",
                        "%09", "%7Bid%7D", "00000000-0000-0000-0000-00000000000g", "%C3%A4", "%E2%9C%93",
                        "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz", "a%3Bb", "%2520", "...", "1e9", "9".repeat(40),
                        "x".repeat(500), UUID.randomUUID().toString().replace("-", ""),
                        UUID.randomUUID() + "0", "{" + UUID.randomUUID() + "}")
                        .map(s -> s.replace("{", "%7B").replace("}", "%7D")),
                Arbitraries.strings().alpha().numeric().withChars('-', '_', '~', '.').ofMinLength(1).ofMaxLength(60)
                        .filter(s -> !s.matches("\\.+")), // dot segments move to another route
                Arbitraries.strings().withCharRange('\u00a0', '\u2fff').withChars('ä', '€', ' ', '"', '<')
                        .ofMinLength(1).ofMaxLength(20)
                        .map(s -> URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20")))
                .map(Part::invalid);
    }

    // --- headers ------------------------------------------------------------------------------------

    private static Arbitrary<Headers> headers(Endpoint endpoint) {
        return Combinators.combine(authorizations(endpoint), ifMatches(), idempotencyKeys(), contentTypes())
                .as(Headers::new);
    }

    /** Well-formed headers; now and then a well-formed but wrong token or a stale version. */
    private static Arbitrary<Headers> deepHeaders(Endpoint endpoint) {
        Validity scorekeeper = endpoint.role == Role.ADMIN ? Validity.INVALID : Validity.VALID;
        return Combinators.combine(
                        Arbitraries.frequencyOf(
                                Tuple.of(8, validAuthorizations(endpoint)),
                                Tuple.of(1, Arbitraries.of(new Part("Bearer " + scorekeeperToken, scorekeeper))),
                                Tuple.of(1, Arbitraries.strings().alpha().numeric().withChars('-', '_').ofLength(43)
                                        .map(t -> Part.invalid("Bearer sba_" + t)))),
                        Arbitraries.frequencyOf(
                                Tuple.of(8, Arbitraries.of(Part.valid(null), Part.valid("\"" + VERSION + "\""),
                                        Part.valid("*"), Part.valid("W/\"" + VERSION + "\""))),
                                Tuple.of(2, Arbitraries.of(Part.invalid("\"0\""), Part.invalid("\"2\""),
                                        Part.invalid("\"" + (VERSION + 1) + "\""), Part.invalid("W/\"1\"")))),
                        Arbitraries.oneOf(Arbitraries.of(Part.valid(null)),
                                Arbitraries.randoms().map(r -> Part.valid(new UUID(r.nextLong(), r.nextLong()).toString()))),
                        Arbitraries.of(Part.valid("application/json"), Part.valid("application/json; charset=UTF-8")))
                .as(Headers::new);
    }

    private static Arbitrary<Part> validAuthorizations(Endpoint endpoint) {
        List<Part> valid = new ArrayList<>(List.of(
                Part.valid("Bearer " + adminToken),
                Part.valid("bearer " + adminToken),
                Part.valid("Bearer   " + adminToken + "  ")));
        if (endpoint.role == Role.SCOREKEEPER) {
            valid.add(Part.valid("Bearer " + scorekeeperToken));
        }
        return Arbitraries.of(valid);
    }

    private static Arbitrary<Part> authorizations(Endpoint endpoint) {
        Validity scorekeeper = endpoint.role == Role.ADMIN ? Validity.INVALID : Validity.VALID;
        return Arbitraries.frequencyOf(
                Tuple.of(5, validAuthorizations(endpoint)),
                Tuple.of(2, Arbitraries.of(new Part("Bearer " + scorekeeperToken, scorekeeper))),
                Tuple.of(3, Arbitraries.of(
                        Part.invalid(null), Part.invalid(""), Part.invalid("Bearer"), Part.invalid("Bearer "),
                        Part.invalid("Bearer    "), Part.invalid("Basic dXNlcjpwYXNz"), Part.invalid("Token " + adminToken),
                        Part.invalid(adminToken), Part.invalid("Bearer " + adminToken.toUpperCase(Locale.ROOT)),
                        Part.invalid("Bearer " + adminToken.substring(0, adminToken.length() - 1)),
                        Part.invalid("Bearer " + adminToken + "x"), Part.invalid("Bearer sba_"),
                        Part.invalid("Bearer " + adminToken.replace("sba_", "sbs_")),
                        Part.invalid("Bearer null"), Part.invalid("Bearer " + "A".repeat(2000)),
                        Part.invalid("Bearer é" + adminToken))),
                Tuple.of(2, printable(0, 200).map(s -> Part.invalid("Bearer " + s))),
                Tuple.of(1, printable(0, 200).map(Part::invalid)));
    }

    private static Arbitrary<Part> ifMatches() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of(Part.valid(null), Part.valid("\"" + VERSION + "\""), Part.valid("*"),
                        Part.valid("W/\"" + VERSION + "\""), Part.valid(" \"" + VERSION + "\" "),
                        Part.valid(Long.toString(VERSION)))),
                Tuple.of(3, Arbitraries.of("\"0\"", "\"1\"", "\"3\"", "\"999999\"", "\"9223372036854775807\"",
                        "\"99999999999999999999\"", "\"-1\"", "\"-2\"", "\"\"", "\"", "\"2", "\"2\", \"3\"", "abc",
                        "\"2.0\"", "\"0x2\"", "W/", "**", "\"+2\"", "\"2\"\"")
                        .map(JunkRequestsIT::ifMatchPart)),
                Tuple.of(2, printable(0, 60).map(JunkRequestsIT::ifMatchPart)));
    }

    /**
     * Classifies an If-Match value as the API contract reads it: absent, {@code *} or the board's {@link #VERSION} in
     * quotes is right; other spellings that a lenient parser may still read as 2 are unsure.
     */
    private static Part ifMatchPart(String value) {
        String v = value.strip();
        if (v.isEmpty() || v.equals("*")) {
            return Part.unsure(value);
        }
        if (v.startsWith("W/")) {
            v = v.substring(2);
        }
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            v = v.substring(1, v.length() - 1);
        }
        try {
            return Long.parseLong(v) == VERSION ? Part.unsure(value) : Part.invalid(value);
        } catch (NumberFormatException e) {
            return Part.invalid(value);
        }
    }

    /** Idempotency-Key: 1–255 visible ASCII characters (docs/api.md: any write may carry one). */
    private static Arbitrary<Part> idempotencyKeys() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of((String) null).map(Part::valid)),
                Tuple.of(3, Arbitraries.randoms().map(r -> Part.valid(new UUID(r.nextLong(), r.nextLong()).toString()))),
                Tuple.of(2, Arbitraries.of("", " ", "\t", "x".repeat(255), "x".repeat(256), "x".repeat(2000), "null",
                        "\"quoted\"", "ü-key", "two words", " padded ", "key\t", "é").map(JunkRequestsIT::idempotencyKeyPart)),
                Tuple.of(2, printable(0, 300).map(JunkRequestsIT::idempotencyKeyPart)));
    }

    private static Part idempotencyKeyPart(String key) {
        if (!key.matches("\\p{ASCII}*")) {
            return Part.unsure(key); // how a client puts a non-ASCII character on the wire varies ('?', Latin-1)
        }
        if (key.matches("[\\x21-\\x7E]{1,255}")) {
            return Part.valid(key);
        }
        // the container may trim blanks around a header value
        return key.strip().matches("[\\x21-\\x7E]{1,255}") ? Part.unsure(key) : Part.invalid(key);
    }

    private static Arbitrary<Part> contentTypes() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of(Part.valid("application/json"), Part.valid("application/json; charset=UTF-8"))),
                Tuple.of(1, Arbitraries.of(Part.unsure("APPLICATION/JSON"), Part.unsure("application/merge-patch+json"),
                        Part.unsure("application/json; charset=ISO-8859-1"), Part.unsure("application/*"),
                        Part.unsure("*/*"), Part.unsure("application/json; foo=\"bar"))),
                Tuple.of(3, Arbitraries.of(Part.invalid(null), Part.invalid(""), Part.invalid("text/plain"),
                        Part.invalid("application/xml"), Part.invalid("application/x-www-form-urlencoded"),
                        Part.invalid("multipart/form-data; boundary=xyz"), Part.invalid("application/octet-stream"),
                        Part.invalid("garbage"), Part.invalid("application/"), Part.invalid("/json"),
                        Part.invalid("application/json; charset=no-such-charset"), Part.invalid("text/json;;;"),
                        Part.invalid("application/json, text/plain"))),
                Tuple.of(1, printable(0, 60).filter(s -> !s.toLowerCase(Locale.ROOT).contains("json")
                        && !s.contains("*")).map(Part::invalid)));
    }

    /** Visible ASCII and blanks (what an HTTP header can carry as text), plus a little Latin-1. */
    private static Arbitrary<String> printable(int min, int max) {
        return Arbitraries.strings().withCharRange(' ', '~').withChars('é', '\t').ofMinLength(min).ofMaxLength(max);
    }

    // --- bodies -------------------------------------------------------------------------------------

    /** A JSON value as text, or {@code null} for a field left out. */
    record Value(String json, Validity validity) {
        static Value absent(Validity validity) {
            return new Value(null, validity);
        }
    }

    /** Bodies for an endpoint; deep: mostly well-formed objects whose values may be wrong. */
    private static Arbitrary<Body> bodies(Endpoint endpoint, boolean deep) {
        Arbitrary<Value> object = switch (endpoint) {
            case CREATE_BOARD -> createBoardObjects();
            case CHANGE_BOARD -> changeBoardObjects();
            case ADD_PARTICIPANT -> participantObjects(true);
            case RENAME_PARTICIPANT -> participantObjects(false);
            case CHANGE_SCORE -> scoreObjects("delta");
            case SET_SCORE -> scoreObjects("score");
            case RECORD_ROUND -> roundObjects();
            case ISSUE_TOKEN -> tokenObjects();
            case REWIND -> rewindObjects();
            case CREATE_TEAM -> teamObjects(Set.of("red"));
            case RENAME_TEAM -> teamObjects(Set.of());
            case CHANGE_PARTICIPANT_TEAM -> teamAssignmentObjects();
            default -> throw new IllegalArgumentException(endpoint + " takes no body");
        };
        return Arbitraries.frequencyOf(
                Tuple.of(deep ? 16 : 8, object.map(o -> body(o.json(), o.validity()))),
                Tuple.of(deep ? 2 : 5, Combinators.combine(object, Arbitraries.integers().between(0, 10_000))
                        .as((o, cut) -> mutated(o, cut))
                        .flatMap(a -> a)),
                Tuple.of(deep ? 1 : 2, anyBodies()),
                Tuple.of(1, object.map(o -> new Body(padded(o.json(), MAX_BODY), o.validity()))),
                Tuple.of(deep ? 1 : 2, Combinators.combine(object, Arbitraries.integers().between(MAX_BODY + 1, 4 * MAX_BODY))
                        .as((o, size) -> new Body(padded(o.json(), size), Validity.INVALID))));
    }

    /** Breaks a body that was built right (or nearly so). */
    private static Arbitrary<Body> mutated(Value object, int cut) {
        String json = object.json();
        return Arbitraries.of(
                // an unknown field (the service refuses unknown fields)
                body("{\"surplus" + cut + "\": " + cut + ", " + json.substring(1), Validity.INVALID),
                // cut short: never a whole JSON object
                body(json.substring(0, Math.min(cut, json.length() - 1)), Validity.INVALID),
                // trailing garbage after the object: Jackson may stop at the object's end
                body(json + " }{ " + cut, Validity.worst(object.validity(), Validity.UNSURE)),
                // the right fields one level too deep or in an array
                body("{\"data\": " + json + "}", Validity.INVALID),
                body("[" + json + "]", Validity.INVALID),
                // a JSON string holding the object
                body(quote(json), Validity.INVALID));
    }

    /** Any bytes at all: JSON that is not an object, broken JSON, deep nesting, random text and bytes. */
    private static Arbitrary<Body> anyBodies() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.of(new Body(null, Validity.INVALID))),
                Tuple.of(4, Arbitraries.of("", " ", "null", "true", "0", "-1", "1e999999999", "\"text\"", "[]", "[{}]",
                        "[null]", "{", "}", "{]", "{\"", "{\"name\"", "{\"name\":", "{\"name\": }", "{,}", "{\"a\":1,}",
                        "{'name': 'single quotes'}", "{name: \"unquoted\"}", "{\"name\": \"x\" /* comment */}",
                        "{\"delta\": NaN}", "{\"delta\": Infinity}", "{\"delta\": 0x10}", "{\"delta\": 01}",
                        "{\"delta\": 1.}", "{\"delta\": .5}", "{\"delta\": +1}",
                        "{\"name\": \"\\u0000\"}", "{\"name\": \"unterminated}")
                        .map(s -> body(s, Validity.INVALID))),
                // perhaps acceptable to the parser: a byte order mark, an escaped lone surrogate
                Tuple.of(1, Arbitraries.of("\uFEFF{\"name\": \"bom\"}", "{\"name\": \"\\ud800\"}")
                        .map(s -> body(s, Validity.UNSURE))),
                Tuple.of(1, Arbitraries.integers().between(500, 20_000).map(depth ->
                        body("[".repeat(depth) + "]".repeat(depth), Validity.INVALID))),
                Tuple.of(1, Arbitraries.integers().between(500, 10_000).map(depth ->
                        body("{\"a\":".repeat(depth) + "1" + "}".repeat(depth), Validity.INVALID))),
                Tuple.of(2, Arbitraries.strings().all().ofMaxLength(300)
                        .filter(s -> !s.isEmpty() && !s.strip().startsWith("{"))
                        .map(s -> body(s, Validity.INVALID))),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(300)
                        .filter(b -> b[0] != '{')
                        .map(b -> new Body(b, Validity.INVALID))),
                Tuple.of(1, Arbitraries.integers().between(MAX_BODY + 1, 4 * MAX_BODY)
                        .map(size -> new Body(randomText(size), Validity.INVALID))));
    }

    private static byte[] randomText(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) ('a' + i % 26);
        }
        return bytes;
    }

    private static Body body(String text, Validity validity) {
        return new Body(text.getBytes(StandardCharsets.UTF_8), validity);
    }

    // --- objects per endpoint -----------------------------------------------------------------------

    private static Arbitrary<Value> createBoardObjects() {
        return Combinators.combine(names(true, Set.of()), enums("HIGHEST_FIRST", "LOWEST_FIRST"),
                        enums("STANDARD", "DENSE", "ORDINAL"), participantLists())
                .as((name, order, ranking, participants) -> object(List.of(
                        Map.entry("name", name), Map.entry("scoreOrder", order), Map.entry("ranking", ranking),
                        Map.entry("participants", participants)), Validity.VALID));
    }

    private static Arbitrary<Value> changeBoardObjects() {
        return Combinators.combine(names(false, Set.of()), enums("HIGHEST_FIRST", "LOWEST_FIRST"),
                        enums("STANDARD", "DENSE", "ORDINAL"))
                .as((name, order, ranking) -> {
                    // nothing to change is refused; a JSON null is as good as leaving a field out
                    boolean nothing = Arrays.asList(name, order, ranking).stream()
                            .allMatch(v -> v.json() == null || v.json().equals("null"));
                    return object(List.of(Map.entry("name", name), Map.entry("scoreOrder", order),
                            Map.entry("ranking", ranking)), nothing ? Validity.INVALID : Validity.VALID);
                });
    }

    private static Arbitrary<Value> participantObjects(boolean adding) {
        // Adding "Ann" again is refused (names are case-insensitive); renaming is decided by the target.
        return names(true, adding ? Set.of("ann", "bob") : Set.of())
                .map(name -> object(List.of(Map.entry("name", name)), Validity.VALID));
    }

    private static Arbitrary<Value> scoreObjects(String field) {
        return Combinators.combine(numbers(true), optionalTexts())
                .as((number, reason) -> object(List.of(Map.entry(field, number), Map.entry("reason", reason)),
                        Validity.VALID));
    }

    private static Arbitrary<Value> roundObjects() {
        return Combinators.combine(optionalTexts(), deltaMaps())
                .as((comment, deltas) -> object(List.of(Map.entry("comment", comment), Map.entry("deltas", deltas)),
                        Validity.VALID));
    }

    /** A team's name: the rules of names; a team not removed has it already when creating ("Red"). */
    private static Arbitrary<Value> teamObjects(Set<String> taken) {
        return names(true, taken).map(name -> object(List.of(Map.entry("name", name)), Validity.VALID));
    }

    /**
     * A participant's team: {@code teamId} must be there, the board's team (Red) or null for none; an unknown
     * team is 404, anything else not a UUID 400. Jackson trims the text of a UUID, and may read an empty one as
     * null: those are unsure.
     */
    private static Arbitrary<Value> teamAssignmentObjects() {
        Arbitrary<Value> teamIds = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of(new Value(quote(red), Validity.VALID),
                        new Value(quote(red.toUpperCase(Locale.ROOT)), Validity.VALID), new Value("null", Validity.VALID))),
                Tuple.of(4, Arbitraries.of(Value.absent(Validity.INVALID), new Value(quote(ann), Validity.INVALID),
                        new Value(quote(board), Validity.INVALID), new Value(quote(" " + red), Validity.UNSURE),
                        new Value(quote(red + "0"), Validity.INVALID), new Value(quote("Red"), Validity.INVALID),
                        new Value(quote("not-a-uuid"), Validity.INVALID), new Value("\"\"", Validity.UNSURE),
                        new Value("7", Validity.INVALID), new Value("true", Validity.INVALID),
                        new Value("{}", Validity.INVALID), new Value("[]", Validity.INVALID),
                        new Value("[" + quote(red) + "]", Validity.INVALID),
                        new Value("{\"teamId\": " + quote(red) + "}", Validity.INVALID))),
                Tuple.of(1, unknownUuids().map(p -> new Value(quote(p.value()), Validity.INVALID))),
                // Jackson trims a UUID's text: one that is blank may be read as none.
                Tuple.of(1, Arbitraries.strings().ofMaxLength(40)
                        .map(t -> new Value(quote(t), t.trim().isEmpty() ? Validity.UNSURE : Validity.INVALID))));
        return teamIds.map(teamId -> object(List.of(Map.entry("teamId", teamId)), Validity.VALID));
    }

    /** A token's kind (required) and label (a name: required, 1–100 characters). */
    private static Arbitrary<Value> tokenObjects() {
        Arbitrary<Value> kinds = enums("ADMIN", "SCOREKEEPER", "READER")
                .map(v -> v.json() == null || v.json().equals("null") ? new Value(v.json(), Validity.INVALID) : v);
        return Combinators.combine(kinds, names(true, Set.of()))
                .as((kind, label) -> object(List.of(Map.entry("kind", kind), Map.entry("label", label)), Validity.VALID));
    }

    /**
     * A rewind's instant (required: after the board was created, not in the future, ISO-8601 with its zone) and an
     * optional reason. The board was created when the class started, so an instant a second ago is valid.
     */
    private static Arbitrary<Value> rewindObjects() {
        Arbitrary<Value> instants = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("now").map(x -> new Value(quote(java.time.Instant.now().minusSeconds(1)
                        .toString()), Validity.VALID))),
                Tuple.of(4, Arbitraries.of(Value.absent(Validity.INVALID), new Value("null", Validity.INVALID),
                        new Value(quote("2000-01-01T00:00:00Z"), Validity.INVALID),
                        new Value(quote("2999-01-01T00:00:00Z"), Validity.INVALID),
                        new Value(quote("2026-12-07T10:00:00"), Validity.INVALID), new Value(quote("yesterday"),
                        Validity.INVALID), new Value("\"\"", Validity.INVALID), new Value("0", Validity.UNSURE),
                        new Value("1e999", Validity.INVALID), new Value("{}", Validity.INVALID),
                        new Value("[]", Validity.INVALID), new Value("true", Validity.INVALID))),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(40).map(t -> new Value(quote(t), Validity.INVALID))));
        return Combinators.combine(instants, optionalTexts())
                .as((to, reason) -> object(List.of(Map.entry("to", to), Map.entry("reason", reason)), Validity.VALID));
    }

    /** {@code {"a": …, "b": …}} without the absent fields; valid only if every field is. */
    private static Value object(List<Map.Entry<String, Value>> fields, Validity own) {
        List<String> members = new ArrayList<>();
        Validity validity = own;
        for (Map.Entry<String, Value> field : fields) {
            validity = Validity.worst(validity, field.getValue().validity());
            if (field.getValue().json() != null) {
                members.add(quote(field.getKey()) + ": " + field.getValue().json());
            }
        }
        return new Value("{" + String.join(", ", members) + "}", validity);
    }

    // --- values -------------------------------------------------------------------------------------

    /** Board and participant names: 1–100 characters after trimming, no control characters. */
    private static Arbitrary<Value> names(boolean required, Set<String> taken) {
        Validity missing = required ? Validity.INVALID : Validity.VALID;
        Arbitrary<Value> strings = Arbitraries.frequencyOf(
                        Tuple.of(4, Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(20)),
                        Tuple.of(3, Arbitraries.strings().withCharRange(' ', '\ud7ff').ofMaxLength(130)),
                        Tuple.of(1, Arbitraries.of(" ", "   ", "\t", "\n", "\u2003", "Ann", "ANN", " bob ", "a\u0000b",
                                "a\u0007b", "x".repeat(100), "x".repeat(101), "😀".repeat(100), "😀".repeat(101),
                                "\u200b", "Robert'); --", "<script>alert(1)</script>")),
                        Tuple.of(1, Arbitraries.integers().between(101, 20_000).map("n"::repeat)))
                .map(s -> new Value(quote(s), nameValidity(s, taken)));
        return Arbitraries.frequencyOf(
                Tuple.of(10, strings),
                Tuple.of(1, Arbitraries.of(Value.absent(missing), new Value("null", missing))),
                Tuple.of(1, Arbitraries.of(new Value("123", Validity.UNSURE), new Value("true", Validity.UNSURE),
                        new Value("1e400", Validity.UNSURE))),
                Tuple.of(1, Arbitraries.of(new Value("{}", Validity.INVALID), new Value("[]", Validity.INVALID),
                        new Value("[\"Ann\"]", Validity.INVALID), new Value("{\"name\": \"x\"}", Validity.INVALID))));
    }

    /** As the aggregate decides (Names.requireValid), plus names already on the board when adding. */
    private static Validity nameValidity(String name, Set<String> taken) {
        String trimmed = name.strip();
        if (trimmed.isEmpty() || trimmed.codePointCount(0, trimmed.length()) > 100
                || trimmed.codePoints().anyMatch(Character::isISOControl)) {
            return Validity.INVALID;
        }
        return taken.contains(trimmed.toLowerCase(Locale.ROOT)) ? Validity.INVALID : Validity.VALID;
    }

    /** Reasons and comments: optional; blank counts as none, else the name rules apply. */
    private static Arbitrary<Value> optionalTexts() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(Value.absent(Validity.VALID), new Value("null", Validity.VALID),
                        new Value("\"\"", Validity.VALID), new Value("\"   \"", Validity.VALID))),
                Tuple.of(3, Arbitraries.strings().withCharRange(' ', '\ud7ff').ofMaxLength(130)
                        .map(s -> new Value(quote(s), s.isBlank() ? Validity.VALID : nameValidity(s, Set.of())))),
                Tuple.of(1, Arbitraries.of(new Value("{}", Validity.INVALID), new Value("[\"x\"]", Validity.INVALID),
                        new Value("42", Validity.UNSURE))));
    }

    private static Arbitrary<Value> enums(String... constants) {
        List<Value> valid = new ArrayList<>();
        for (String c : constants) {
            valid.add(new Value(quote(c), Validity.VALID));
        }
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of(Value.absent(Validity.VALID), new Value("null", Validity.VALID))),
                Tuple.of(4, Arbitraries.of(valid)),
                Tuple.of(1, Arbitraries.of(new Value("\"UP\"", Validity.INVALID),
                        new Value(quote(constants[0].toLowerCase(Locale.ROOT)), Validity.INVALID),
                        // Jackson trims an enum name it cannot match exactly: harmless leniency, may succeed.
                        new Value(quote(" " + constants[0]), Validity.UNSURE), new Value("{}", Validity.INVALID),
                        new Value("[]", Validity.INVALID), new Value(quote(String.join(",", constants)), Validity.INVALID),
                        new Value("\"\"", Validity.UNSURE), new Value("0", Validity.UNSURE), new Value("99", Validity.UNSURE),
                        new Value("true", Validity.UNSURE), new Value("-1", Validity.UNSURE))),
                Tuple.of(1, Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12)
                        .map(s -> new Value(quote("X" + s), Validity.INVALID))));
    }

    /** Scores and deltas: decimals with at most 4 fractional digits, magnitude below 10^15. */
    private static Arbitrary<Value> numbers(boolean required) {
        Validity missing = required ? Validity.INVALID : Validity.VALID;
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.bigDecimals().between(new java.math.BigDecimal("-1000000"),
                                new java.math.BigDecimal("1000000")).ofScale(4)
                        .map(d -> new Value(d.toPlainString(), Validity.VALID))),
                Tuple.of(1, Arbitraries.of("0", "-0", "0.0000", "1E+3", "-2.5e2", "999999999999999.9999",
                        "-999999999999999.9999", "1.10000000", "0.00010")
                        .map(s -> new Value(s, Validity.VALID))),
                Tuple.of(4, Arbitraries.of("1e15", "-1e15", "1000000000000000", "-1000000000000000",
                        "999999999999999.99999", "0.00001", "-0.00001", "1e-5", "1e400", "-1e400", "1e-400",
                        "123456789012345678901234567890", "1E+308", "4.9e-324", "1e20", "1e100000", "1e-100000",
                        "1E+999999999", "1e-999999999", "-1E+2147483647", "1e2147483648", "9".repeat(999),
                        "0." + "0".repeat(900) + "1")
                        .map(s -> new Value(s, Validity.INVALID))),
                Tuple.of(2, Arbitraries.of("\"lots\"", "\"\"", "\"1e3x\"", "true", "false", "{}", "[]", "[1]",
                        "{\"value\": 1}", "NaN", "Infinity", "-Infinity", "0x10", "01", "1.", ".5", "+1", "--1", "1e",
                        "\"NaN\"", "\"Infinity\"", "\"∞\"")
                        .map(s -> new Value(s, Validity.INVALID))),
                Tuple.of(1, Arbitraries.of(new Value("\"5\"", Validity.UNSURE), new Value("\" 5 \"", Validity.UNSURE),
                        new Value("\"1e400\"", Validity.INVALID))),
                Tuple.of(1, Arbitraries.of(Value.absent(missing), new Value("null", missing))));
    }

    private static Arbitrary<Value> participantLists() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.of(Value.absent(Validity.VALID), new Value("null", Validity.VALID),
                        new Value("[]", Validity.VALID))),
                Tuple.of(4, names(true, Set.of()).list().ofMaxSize(4).map(JunkRequestsIT::participantList)),
                Tuple.of(1, Arbitraries.of(new Value("\"Ann\"", Validity.INVALID), new Value("{}", Validity.INVALID),
                        new Value("{\"Ann\": 1}", Validity.INVALID), new Value("5", Validity.INVALID),
                        new Value("[\"Ann\", \"ann\"]", Validity.INVALID), new Value("[[\"Ann\"]]", Validity.INVALID),
                        new Value("[\"Ann\",]", Validity.INVALID))));
    }

    /** A list of names as a JSON array: absent elements become JSON nulls; duplicates are refused. */
    private static Value participantList(List<Value> names) {
        List<String> elements = new ArrayList<>();
        Validity validity = Validity.VALID;
        Set<String> seen = new HashSet<>();
        for (Value name : names) {
            String json = name.json() == null ? "null" : name.json();
            elements.add(json);
            validity = Validity.worst(validity, name.validity());
            if (name.validity() == Validity.VALID) {
                String key;
                try {
                    key = Http.JSON.readValue(json, String.class).strip().toLowerCase(Locale.ROOT);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                if (!seen.add(key)) {
                    validity = Validity.INVALID;
                }
            }
        }
        return new Value("[" + String.join(", ", elements) + "]", validity);
    }

    /** A round's {"<participantId>": delta} map. */
    private static Arbitrary<Value> deltaMaps() {
        Arbitrary<Map.Entry<Part, Value>> entry = Combinators.combine(
                Arbitraries.frequencyOf(
                        Tuple.of(6, validParticipantIds()),
                        Tuple.of(1, unknownUuids()),
                        Tuple.of(1, Arbitraries.of(Part.invalid(board), Part.invalid(""), Part.invalid("not-a-uuid"),
                                Part.invalid("Ann"), Part.invalid("null"), Part.invalid(" " + ann)))),
                numbers(true).filter(v -> v.json() != null))
                .as(Map::entry);
        return Arbitraries.frequencyOf(
                Tuple.of(6, entry.list().ofMinSize(1).ofMaxSize(3).map(JunkRequestsIT::deltaMap)),
                Tuple.of(1, Arbitraries.of(new Value("{}", Validity.INVALID), Value.absent(Validity.INVALID),
                        new Value("null", Validity.INVALID), new Value("[]", Validity.INVALID),
                        new Value("[5]", Validity.INVALID), new Value("5", Validity.INVALID),
                        new Value(quote(ann), Validity.INVALID), new Value("{\"" + ann + "\": {}}", Validity.INVALID))));
    }

    /**
     * A JSON object may name the same participant twice (also in another spelling of its UUID); a
     * parser may keep only the last value, so then only the last entry per participant counts.
     */
    private static Value deltaMap(List<Map.Entry<Part, Value>> entries) {
        Map<String, Validity> effective = new java.util.LinkedHashMap<>();
        Validity validity = Validity.VALID;
        List<String> members = new ArrayList<>();
        for (Map.Entry<Part, Value> e : entries) {
            String participant = e.getKey().value().toLowerCase(Locale.ROOT);
            if (effective.containsKey(participant)) {
                validity = Validity.worst(validity, Validity.UNSURE);
            }
            effective.put(participant, Validity.worst(e.getKey().validity(), e.getValue().validity()));
            members.add(quote(e.getKey().value()) + ": " + e.getValue().json());
        }
        for (Validity v : effective.values()) {
            validity = Validity.worst(validity, v);
        }
        return new Value("{" + String.join(", ", members) + "}", validity);
    }

    private static String quote(String text) {
        try {
            return Http.JSON.writeValueAsString(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String summary(Map<Integer, Integer> statuses) {
        return statuses.entrySet().stream().map(e -> e.getKey() + "×" + e.getValue()).collect(Collectors.joining(", "));
    }
}
