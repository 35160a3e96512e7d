package io.scoreboard.command.web;

import static io.scoreboard.httpedge.RawHttp.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scoreboard.command.CommandServiceApplication;
import io.scoreboard.httpedge.RawHttp;
import io.scoreboard.testsupport.TestDatabases;
import io.scoreboard.testsupport.TestKafka;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The command service's HTTP edge, from outside, against a real event store and broker: every error
 * is problem+json with all five members (sent over a raw socket), and the rate limits answer 429
 * before anything is appended. The limits are configured with a refill of one token an hour, so
 * refill cannot change an outcome; each test speaks for its own client address (X-Forwarded-For
 * from a trusted 127.0.0.1), so their budgets are separate.
 */
@SpringBootTest(classes = CommandServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class CommandHttpEdgeIntegrationTest {

    private static final TestDatabases databases = TestDatabases.create();
    private static final String TOPIC = TestKafka.uniqueTopic("http-edge");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final int BOARD_BURST = 100;
    private static final int CREATIONS = 4;
    private static final int FAILED_AUTHENTICATIONS = 3;

    @LocalServerPort
    private int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", databases::eventsJdbcUrl);
        registry.add("spring.datasource.username", () -> databases.appRole().user());
        registry.add("spring.datasource.password", () -> databases.appRole().password());
        registry.add("scoreboard.kafka.bootstrap-servers", TestKafka::bootstrapServers);
        registry.add("scoreboard.kafka.topic", () -> TOPIC);
        registry.add("scoreboard.environment", databases::environment);
        registry.add("scoreboard.idempotency.response-key", () -> "c2NvcmVib2FyZC1zeXN0ZW0tdGVzdHMtb25seS1rZXk=");
        registry.add("scoreboard.replication.durability", () -> "local");
        registry.add("scoreboard.rate-limits.trusted-proxies", () -> "127.0.0.1");
        registry.add("scoreboard.rate-limits.board-writes.rate", () -> "1");
        registry.add("scoreboard.rate-limits.board-writes.period", () -> "1h");
        registry.add("scoreboard.rate-limits.board-writes.burst", () -> Integer.toString(BOARD_BURST));
        registry.add("scoreboard.rate-limits.board-creations.rate", () -> "1");
        registry.add("scoreboard.rate-limits.board-creations.period", () -> "1h");
        registry.add("scoreboard.rate-limits.board-creations.burst", () -> Integer.toString(CREATIONS));
        registry.add("scoreboard.rate-limits.failed-authentications.rate", () -> "1");
        registry.add("scoreboard.rate-limits.failed-authentications.period", () -> "1h");
        registry.add("scoreboard.rate-limits.failed-authentications.burst", () -> Integer.toString(FAILED_AUTHENTICATIONS));
    }

    @AfterAll
    static void dropDatabases() {
        databases.close();
    }

    // --- one error contract ---------------------------------------------------------------------

    @Test
    void unknownPath() {
        assertProblem(RawHttp.get(port, "/api/v1/nothing-here"), 404, "UNKNOWN_PATH");
    }

    @Test
    void wrongMethod() {
        RawHttp.Response response = RawHttp.send(port, "GET /api/v1/scoreboards/3f2c1d9e-8b7a-4c6d-9e5f-1a2b3c4d5e6f/undo "
                + "HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertProblem(response, 405, "METHOD_NOT_ALLOWED");
        assertThat(response.header("Allow")).contains("POST");
    }

    @Test
    void badPercentEncoding() {
        assertProblem(RawHttp.send(port, "POST /api/v1/scoreboards/%zz/undo HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Length: 0\r\nConnection: close\r\n\r\n"), 400, "MALFORMED_REQUEST");
    }

    @Test
    void a20KbHeader() {
        RawHttp.Response response = RawHttp.get(port, "/api/v1/ops/replication", RawHttp.largeHeader(20 * 1024));
        assertProblem(response, 431, "HEADERS_TOO_LARGE");
    }

    @Test
    void aBareBraceInTheRequestLine() {
        assertProblem(RawHttp.send(port, "POST /api/v1/scoreboards/{ HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Length: 0\r\nConnection: close\r\n\r\n"), 400, "MALFORMED_REQUEST");
    }

    @Test
    void anOversizedBody_keepsItsTypeAndCode() {
        String body = "{\"name\":\"" + "x".repeat(70 * 1024) + "\"}";
        JsonNode problem = assertProblem(RawHttp.send(port, "POST /api/v1/scoreboards HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n"
                + body), 413, "PAYLOAD_TOO_LARGE");
        assertThat(problem.path("type").asText()).isEqualTo("urn:scoreboard:problem:payload-too-large");
    }

    @Test
    void aBusinessError_keepsItsTypeAndCode() {
        JsonNode problem = assertProblem(RawHttp.send(port, "POST /api/v1/scoreboards/3f2c1d9e-8b7a-4c6d-9e5f-1a2b3c4d5e6f"
                + "/undo HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-For: 192.0.2.50\r\nContent-Length: 0\r\n"
                + "Connection: close\r\n\r\n"), 401, "UNAUTHENTICATED");
        assertThat(problem.path("type").asText()).isEqualTo("urn:scoreboard:problem:unauthenticated");
    }

    // --- rate limits ----------------------------------------------------------------------------

    @Test
    void writesPerBoard_theWriteAfterTheBurstIs429_andAppendsNothing_anotherBoardStillWrites() throws Exception {
        String client = "192.0.2.10";
        Board board = create(client);
        Board other = create(client);
        for (int i = 0; i < BOARD_BURST; i++) {
            assertThat(scoreChange(board, client).statusCode()).as("write %d", i + 1).isEqualTo(200);
        }
        long events = eventsOf(board.id);

        HttpResponse<String> limited = scoreChange(board, client);

        assertRateLimited(limited);
        assertThat(eventsOf(board.id)).as("nothing appended").isEqualTo(events);
        assertThat(scoreChange(other, client).statusCode()).as("another board has its own budget").isEqualTo(200);
        assertThat(scoreChange(board, "192.0.2.11").statusCode()).as("the limit is the board's, not the client's")
                .isEqualTo(429);
    }

    @Test
    void boardCreationsPerClientAddress() throws Exception {
        String client = "192.0.2.20";
        for (int i = 0; i < CREATIONS; i++) {
            create(client);
        }

        assertRateLimited(send("POST", "/api/v1/scoreboards", client, null, createBody()));
        assertThat(send("POST", "/api/v1/scoreboards", "192.0.2.21", null, createBody()).statusCode())
                .as("another address").isEqualTo(201);
    }

    @Test
    void failedAuthenticationsPerClientAddress_thenEvenTheRightTokenIsRefusedUpFront() throws Exception {
        String guesser = "192.0.2.30";
        Board board = create("192.0.2.31");
        String wrong = "Bearer sbs_" + "0".repeat(43);
        for (int i = 0; i < FAILED_AUTHENTICATIONS; i++) {
            assertThat(send("POST", board.path + "/undo", guesser, wrong, null).statusCode()).isIn(401, 403);
        }
        long events = eventsOf(board.id);

        assertRateLimited(send("POST", board.path + "/undo", guesser, wrong, null));
        assertRateLimited(scoreChange(board, guesser));
        assertThat(eventsOf(board.id)).as("nothing appended").isEqualTo(events);

        assertThat(scoreChange(board, "192.0.2.32").statusCode()).as("another address, and the board's budget "
                + "was not spent by the failures").isEqualTo(200);
    }

    @Test
    void writesToBoardsThatDoNotExist_countAsFailedAuthentications_unknownParticipantsDoNot() throws Exception {
        String prober = "192.0.2.40";
        Board board = create("192.0.2.41");
        String someToken = "Bearer sbs_" + "1".repeat(43);
        // the board's own scorekeeper naming a participant the board does not have: 404, not a failure
        for (int i = 0; i <= FAILED_AUTHENTICATIONS; i++) {
            assertThat(send("POST", board.path + "/participants/" + java.util.UUID.randomUUID() + "/score-changes",
                    prober, board.keeper, "{\"delta\":1}").statusCode()).isEqualTo(404);
        }
        for (int i = 0; i < FAILED_AUTHENTICATIONS; i++) {
            assertThat(send("POST", "/api/v1/scoreboards/" + java.util.UUID.randomUUID() + "/undo", prober, someToken,
                    null).statusCode()).isEqualTo(404);
        }
        assertRateLimited(send("POST", "/api/v1/scoreboards/" + java.util.UUID.randomUUID() + "/undo", prober,
                someToken, null));
    }

    @Test
    void theOpenApiDocument_listsThe429_onTheLimitedOperationsOnly() throws Exception {
        JsonNode paths = JSON.readTree(send("GET", "/v3/api-docs", "192.0.2.40", null, null).body()).path("paths");
        JsonNode create = paths.at("/~1api~1v1~1scoreboards/post/responses/429");
        assertThat(create.path("description").asText()).contains("60 per minute", "RATE_LIMITED");
        assertThat(create.at("/headers/Retry-After").isMissingNode()).isFalse();
        assertThat(paths.at("/~1api~1v1~1scoreboards~1{scoreboardId}~1undo/post/responses/429/description").asText())
                .contains("20 per second", "bursts of 100", "failed authentications");
        assertThat(paths.at("/~1api~1v1~1ops~1replication/get/responses/429").isMissingNode()).isTrue();
    }

    @Test
    void theOpenApiDocument_isTheCommittedOne() throws Exception {
        io.scoreboard.httpedge.CommittedOpenApi.assertCommitted(send("GET", "/v3/api-docs", "192.0.2.43", null, null)
                .body(), java.nio.file.Path.of("../docs/openapi/command-api.json"));
    }

    /** The write headers, taken by the controllers as one parameter, are still listed header by header. */
    @Test
    void theOpenApiDocument_listsTheWriteHeaders_onEveryWriteToABoard() throws Exception {
        JsonNode paths = JSON.readTree(send("GET", "/v3/api-docs", "192.0.2.41", null, null).body()).path("paths");
        int writes = 0;
        for (java.util.Iterator<String> names = paths.fieldNames(); names.hasNext(); ) {
            String path = names.next();
            if (!path.startsWith("/api/v1/scoreboards/{scoreboardId}")) {
                continue;
            }
            for (String method : java.util.List.of("post", "put", "patch", "delete")) {
                JsonNode operation = paths.path(path).path(method);
                if (operation.isMissingNode()) {
                    continue;
                }
                writes++;
                java.util.List<String> headers = new java.util.ArrayList<>();
                operation.path("parameters").forEach(p -> {
                    assertThat(p.path("in").asText()).as("%s %s: no query parameters", method, path)
                            .isNotEqualTo("query");
                    if (p.path("in").asText().equals("header")) {
                        headers.add(p.path("name").asText());
                    }
                });
                assertThat(headers).as("%s %s", method, path).containsExactlyInAnyOrder("If-Match", "Idempotency-Key");
                assertThat(operation.path("security").toString()).contains("boardToken");
            }
        }
        assertThat(writes).as("every write to a board, tokens and teams included").isGreaterThanOrEqualTo(16);
    }

    /**
     * Every operation's success is what the service really answers: its status (201 for what creates), JSON, and a
     * named schema a generated client can read into a type; never {@code 200 *}{@code /*} with an untyped object.
     */
    @Test
    void theOpenApiDocument_saysEachSuccessExactly() throws Exception {
        JsonNode document = JSON.readTree(send("GET", "/v3/api-docs", "192.0.2.42", null, null).body());
        java.nio.file.Files.writeString(java.nio.file.Path.of("target/command-api-docs.json"), document.toPrettyString());
        JsonNode paths = document.path("paths");
        java.util.Map<String, String> created = java.util.Map.of(
                "post /api/v1/scoreboards", "CreateScoreboardResponse",
                "post /api/v1/scoreboards/{scoreboardId}/participants", "ParticipantAddedResponse",
                "post /api/v1/scoreboards/{scoreboardId}/tokens", "TokenIssuedResponse",
                "post /api/v1/scoreboards/{scoreboardId}/teams", "TeamCreatedResponse");
        int operations = 0;
        for (java.util.Iterator<String> names = paths.fieldNames(); names.hasNext(); ) {
            String path = names.next();
            if (!path.startsWith("/api/v1/scoreboards")) {
                continue;
            }
            for (java.util.Iterator<String> methods = paths.path(path).fieldNames(); methods.hasNext(); ) {
                String method = methods.next();
                String operation = method + " " + path;
                JsonNode responses = paths.path(path).path(method).path("responses");
                java.util.List<String> successes = new java.util.ArrayList<>();
                responses.fieldNames().forEachRemaining(code -> {
                    if (code.startsWith("2")) {
                        successes.add(code);
                    }
                });
                String expected = created.containsKey(operation) ? "201" : "200";
                assertThat(successes).as(operation).contains(expected).doesNotContain(expected.equals("201") ? "200" : "201");
                JsonNode content = responses.path(expected).path("content");
                assertThat(content.size()).as("%s: one media type", operation).isEqualTo(1);
                JsonNode schema = content.path("application/json").path("schema");
                assertThat(schema.path("$ref").asText()).as("%s: a named JSON schema", operation)
                        .startsWith("#/components/schemas/");
                if (created.containsKey(operation)) {
                    assertThat(schema.path("$ref").asText()).endsWith("/" + created.get(operation));
                }
                operations++;
            }
        }
        assertThat(operations).isGreaterThanOrEqualTo(18);
        JsonNode pending = paths.at("/~1api~1v1~1scoreboards/post/responses/202/content/application~1json/schema");
        assertThat(pending.toString()).as("a pending create: the create body plus replication")
                .contains("CreateScoreboardResponse", "replication");
    }

    // --- helpers --------------------------------------------------------------------------------

    private record Board(String id, String path, String keeper, String participant) {
    }

    private static void assertRateLimited(HttpResponse<String> response) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(429);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow())).isGreaterThanOrEqualTo(1);
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("code").asText()).isEqualTo("RATE_LIMITED");
        assertThat(problem.path("type").asText()).isEqualTo("urn:scoreboard:problem:rate-limited");
        assertThat(problem.path("status").asInt()).isEqualTo(429);
        assertThat(problem.path("title").asText()).isNotBlank();
        assertThat(problem.path("detail").asText()).contains("scoreboard.rate-limits.");
    }

    private static String createBody() {
        return "{\"name\":\"Edge\",\"participants\":[\"Ann\",\"Bob\"]}";
    }

    private Board create(String client) throws Exception {
        HttpResponse<String> created = send("POST", "/api/v1/scoreboards", client, null, createBody());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode body = JSON.readTree(created.body());
        String id = body.get("scoreboardId").asText();
        return new Board(id, "/api/v1/scoreboards/" + id, "Bearer " + body.get("scorekeeperToken").asText(),
                body.get("participants").get(0).get("participantId").asText());
    }

    private HttpResponse<String> scoreChange(Board board, String client) throws Exception {
        return send("POST", board.path + "/participants/" + board.participant + "/score-changes", client, board.keeper,
                "{\"delta\":1}");
    }

    private HttpResponse<String> send(String method, String path, String client, String authorization, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .header("X-Forwarded-For", client)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long eventsOf(String board) throws SQLException {
        try (Connection connection = DriverManager.getConnection(databases.eventsJdbcUrl(), databases.appRole().user(),
                databases.appRole().password());
             PreparedStatement count = connection.prepareStatement(
                     "SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ?")) {
            count.setString(1, board);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
