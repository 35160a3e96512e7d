package io.scoreboard.query.web;

import static io.scoreboard.httpedge.RawHttp.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoreboard.httpedge.RawHttp;
import io.scoreboard.query.QueryTestApplication;
import io.scoreboard.query.projection.ProjectionRunner;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The query service's HTTP edge from outside (raw sockets), against a real read database and
 * broker: every error is problem+json with all five members, and expensive reads are limited per
 * client address and in total. Refill is one token an hour, so it cannot change an outcome; clients
 * are told apart by X-Forwarded-For from the trusted 127.0.0.1.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class QueryHttpEdgeIntegrationTest {

    private static final QueryTestApplication app = new QueryTestApplication("query-edge").createTopic();
    private static final int PER_CLIENT = 3;
    private static final int TOTAL = 6;

    @LocalServerPort
    private int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        app.registerWithoutTheRateLimitSwitch(registry);
        registry.add("scoreboard.rate-limits.trusted-proxies", () -> "127.0.0.1");
        registry.add("scoreboard.rate-limits.expensive-reads-per-client.rate", () -> "1");
        registry.add("scoreboard.rate-limits.expensive-reads-per-client.period", () -> "1h");
        registry.add("scoreboard.rate-limits.expensive-reads-per-client.burst", () -> Integer.toString(PER_CLIENT));
        registry.add("scoreboard.rate-limits.expensive-reads-total.rate", () -> "1");
        registry.add("scoreboard.rate-limits.expensive-reads-total.period", () -> "1h");
        registry.add("scoreboard.rate-limits.expensive-reads-total.burst", () -> Integer.toString(TOTAL));
    }

    @AfterAll
    static void tearDown(@Autowired ProjectionRunner runner) {
        runner.stop(java.time.Duration.ofSeconds(10));
        app.close();
    }

    private static String board() {
        return "/api/v1/scoreboards/" + UUID.randomUUID();
    }

    // --- one error contract ---------------------------------------------------------------------

    @Test
    void unknownPath() {
        assertProblem(RawHttp.get(port, "/api/v1/nothing-here"), 404, "UNKNOWN_PATH");
    }

    @Test
    void wrongMethod() {
        RawHttp.Response response = RawHttp.send(port, "DELETE " + board() + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Connection: close\r\n\r\n");
        assertProblem(response, 405, "METHOD_NOT_ALLOWED");
        assertThat(response.header("Allow")).contains("GET");
    }

    @Test
    void badPercentEncoding() {
        assertProblem(RawHttp.get(port, "/api/v1/scoreboards/%zz"), 400, "MALFORMED_REQUEST");
    }

    @Test
    void a20KbHeader() {
        RawHttp.Response response = RawHttp.get(port, board(), RawHttp.largeHeader(20 * 1024));
        assertProblem(response, 431, "HEADERS_TOO_LARGE");
    }

    @Test
    void aBareBraceInTheRequestLine() {
        assertProblem(RawHttp.get(port, "/api/v1/scoreboards/{"), 400, "MALFORMED_REQUEST");
    }

    @Test
    void aBodyWhereNoneIsTaken_isProblemJson() {
        String body = "x".repeat(70 * 1024);
        assertProblem(RawHttp.send(port, "POST " + board() + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\n"
                + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body), 405, "METHOD_NOT_ALLOWED");
    }

    @Test
    void theQuerySidesOwnErrors_haveCodes() {
        JsonNode notFound = assertProblem(RawHttp.get(port, board()), 404, "SCOREBOARD_NOT_FOUND");
        assertThat(notFound.path("type").asText()).isEqualTo("urn:scoreboard:problem:scoreboard-not-found");
        assertProblem(RawHttp.get(port, "/api/v1/scoreboards/not-a-uuid"), 400, "INVALID_PARAMETER");
        assertProblem(RawHttp.get(port, board() + "/leaderboard?limit=0"), 400, "INVALID_PARAMETER");
    }

    @Test
    void theOpenApiDocument_listsThe429_onTheExpensiveOperations() {
        JsonNode paths = RawHttp.get(port, "/v3/api-docs").json().path("paths");
        JsonNode export = paths.at("/~1api~1v1~1scoreboards~1{scoreboardId}~1export.csv/get/responses/429");
        assertThat(export.path("description").asText()).contains("10 per second", "RATE_LIMITED");
        assertThat(export.at("/headers/Retry-After").isMissingNode()).isFalse();
        assertThat(paths.at("/~1api~1v1~1scoreboards~1{scoreboardId}~1leaderboard/get/responses/429").isMissingNode())
                .as("asOf, from/to, minPosition").isFalse();
        assertThat(paths.at("/~1api~1v1~1scoreboards~1{scoreboardId}/get/responses/4XX/content/application~1problem+json")
                .isMissingNode()).isFalse();
    }

    @Test
    void theOpenApiDocument_isTheCommittedOne() throws Exception {
        io.scoreboard.httpedge.CommittedOpenApi.assertCommitted(RawHttp.get(port, "/v3/api-docs").body(),
                java.nio.file.Path.of("../docs/openapi/query-api.json"));
    }

    /** Every success says its real media type and, for JSON, a named schema a generated client can read into a type. */
    @Test
    void theOpenApiDocument_saysEachSuccessExactly() throws Exception {
        JsonNode paths = RawHttp.get(port, "/v3/api-docs").json().path("paths");
        int operations = 0;
        for (java.util.Iterator<String> names = paths.fieldNames(); names.hasNext(); ) {
            String path = names.next();
            JsonNode content = paths.path(path).path("get").path("responses").path("200").path("content");
            if (content.isMissingNode()) {
                continue;
            }
            operations++;
            java.util.List<String> types = new java.util.ArrayList<>();
            content.fieldNames().forEachRemaining(types::add);
            String expected = path.endsWith(".csv") ? "text/csv" : path.endsWith("/live") ? "text/event-stream"
                    : path.endsWith(".ndjson") ? "application/x-ndjson" : "application/json";
            assertThat(types).as(path).containsExactly(expected);
            if (expected.equals("application/json") && path.startsWith("/api/")) {
                assertThat(content.path(expected).path("schema").path("$ref").asText()).as(path)
                        .startsWith("#/components/schemas/");
            }
        }
        assertThat(operations).as("the board, its leaderboard, history, participant, around, two exports, live")
                .isGreaterThanOrEqualTo(8);
    }

    // --- the live board page (io.scoreboard.query.page) -----------------------------------------

    @Test
    void theBoardPage_isHtmlForAWellFormedId_andTheApisProblemForAMalformedOne() {
        RawHttp.Response page = RawHttp.get(port, "/boards/" + UUID.randomUUID());
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.header("Content-Security-Policy")).contains("default-src 'self'");
        assertThat(page.body()).contains("<meta name=\"viewport\"", "id=\"status\"", "aria-live=\"polite\"",
                "/board-page/board.js", "/board-page/board.css");
        assertThat(RawHttp.get(port, "/board-page/board.js").status()).isEqualTo(200);
        assertThat(RawHttp.get(port, "/board-page/board.css").status()).isEqualTo(200);

        JsonNode malformed = assertProblem(RawHttp.get(port, "/boards/not-a-uuid"), 400, "INVALID_PARAMETER");
        assertThat(malformed.path("detail").asText()).contains("scoreboardId");
        assertProblem(RawHttp.get(port, "/board-page/board.html"), 404, "UNKNOWN_PATH");
    }

    // --- rate limits on expensive reads ---------------------------------------------------------

    @Test
    void expensiveReads_perClientAddress_thenInTotal_plainReadsUnlimited() {
        String a = "X-Forwarded-For: 192.0.2.1";
        // exports, windows and read-your-writes waits all count: the boards do not exist, the reads still cost
        assertProblem(RawHttp.get(port, board() + "/export.csv", a), 404, "SCOREBOARD_NOT_FOUND");
        assertProblem(RawHttp.get(port, board() + "/leaderboard?from=2026-01-01T00:00:00Z", a), 404);
        assertProblem(RawHttp.get(port, board() + "?minPosition=0", a), 404);

        RawHttp.Response limited = RawHttp.get(port, board() + "?asOf=2026-01-01T00:00:00Z", a);
        JsonNode problem = assertProblem(limited, 429, "RATE_LIMITED");
        assertThat(Long.parseLong(limited.header("Retry-After"))).isGreaterThanOrEqualTo(1);
        assertThat(problem.path("detail").asText()).contains("scoreboard.rate-limits.expensive-reads-per-client");
        assertProblem(RawHttp.get(port, board() + "/history/export.csv", a), 429, "RATE_LIMITED");

        assertProblem(RawHttp.get(port, board(), a), 404, "SCOREBOARD_NOT_FOUND"); // a plain read is not limited
        assertProblem(RawHttp.get(port, board() + "/leaderboard?limit=5", a), 404, "SCOREBOARD_NOT_FOUND");

        // 3 of the instance's 6 are used; three more clients use one each, and then the instance is full
        for (int i = 2; i <= 4; i++) {
            assertProblem(RawHttp.get(port, board() + "?asOf=2026-01-01T00:00:00Z", "X-Forwarded-For: 192.0.2." + i),
                    404, "SCOREBOARD_NOT_FOUND");
        }
        RawHttp.Response full = RawHttp.get(port, board() + "/export.csv", "X-Forwarded-For: 192.0.2.5");
        assertThat(assertProblem(full, 429, "RATE_LIMITED").path("detail").asText())
                .contains("scoreboard.rate-limits.expensive-reads-total");
    }
}
