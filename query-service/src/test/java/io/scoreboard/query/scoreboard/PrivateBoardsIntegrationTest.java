package io.scoreboard.query.scoreboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.FirstTokens;
import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.events.ScoreboardCreatedEvent;
import io.scoreboard.events.ScoreboardVisibilityChangedEvent;
import io.scoreboard.events.TokenHash;
import io.scoreboard.events.TokenIssuedEvent;
import io.scoreboard.events.TokenKind;
import io.scoreboard.events.TokenRevokedEvent;
import io.scoreboard.events.Visibility;
import io.scoreboard.projections.BoardEvents;
import io.scoreboard.query.QueryTestApplication;
import io.scoreboard.query.projection.ProjectionRunner;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Private boards (ADR 0041), end to end through a real broker and read database: every read endpoint the query
 * service's OpenAPI document lists, and the live page, answers a private board's reader 404 without one of the
 * board's tokens, with a revoked one and with a wrong one, exactly as for a board that does not exist; with a
 * working token of any kind it answers as for a public board. The endpoints come from the document, so an endpoint
 * added later is walked too. Bad parameters answer the same 400 for a private and an unknown board.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class PrivateBoardsIntegrationTest {

    private static final QueryTestApplication app = new QueryTestApplication("query-private").createTopic();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static final String READER = "sbr_reader-token";
    private static final String REVOKED = "sbs_revoked-token";
    private static final String ADMIN = "sba_admin-token";

    private static BoardEvents board;
    private static UUID ann;

    @LocalServerPort
    private int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        app.properties().forEach((key, value) -> registry.add(key, () -> value));
    }

    @BeforeAll
    static void publishAPrivateBoard() {
        board = new BoardEvents();
        UUID admin = FirstTokens.adminTokenId(board.id());
        UUID revoked = UUID.randomUUID();
        app.topic().publish(
                board.next(new ScoreboardCreatedEvent(board.id(), "Secret quiz", ScoreOrder.HIGHEST_FIRST,
                        Ranking.STANDARD, TokenHash.of(ADMIN), TokenHash.of("sbs_keeper"), Visibility.PRIVATE)),
                board.added("Ann"),
                board.scoreSet("Ann", "3"),
                board.next(new TokenIssuedEvent(board.id(), UUID.randomUUID(), TokenKind.READER, "Screen",
                        TokenHash.of(READER), admin)),
                board.next(new TokenIssuedEvent(board.id(), revoked, TokenKind.SCOREKEEPER, "Gone",
                        TokenHash.of(REVOKED), admin)));
        EventEnvelope last = board.next(new TokenRevokedEvent(board.id(), revoked, admin));
        app.topic().publish(last);
        ann = board.participant("Ann");
        lastPosition = last.position();
    }

    private static long lastPosition;

    @AfterAll
    static void tearDown(@Autowired ProjectionRunner runner) {
        runner.stop(Duration.ofSeconds(10));
        app.close();
    }

    @Test
    void everyReadEndpoint_answersAPrivateBoard404WithoutAWorkingToken_andAsUsualWithOne() throws Exception {
        List<String> paths = boardPaths();
        assertThat(paths).as("the document lists the board's reads")
                .contains("/api/v1/scoreboards/{scoreboardId}", "/api/v1/scoreboards/{scoreboardId}/live",
                        "/api/v1/scoreboards/{scoreboardId}/history/export.csv",
                        "/api/v1/scoreboards/{scoreboardId}/teams");
        String unknownBoard = UUID.randomUUID().toString();
        for (String template : paths) {
            String path = template.replace("{participantId}", ann.toString());
            String mine = path.replace("{scoreboardId}", board.id().toString()) + "?minPosition=" + lastPosition;
            String nobodys = path.replace("{scoreboardId}", unknownBoard);

            Answer missing = get(nobodys, null, null);
            assertThat(missing.status()).as("an unknown board: %s", nobodys).isEqualTo(404);
            for (String[] stranger : List.of(new String[] {null, null}, new String[] {"Bearer sbr_wrong", null},
                    new String[] {"Bearer " + REVOKED, null}, new String[] {null, REVOKED},
                    new String[] {"Basic " + READER, null})) {
                Answer refused = get(mine, stranger[0], stranger[1]);
                assertThat(refused.status()).as("%s with %s / ?token=%s", mine, stranger[0], stranger[1])
                        .isEqualTo(404);
                assertThat(refused.body()).as("the same answer as for a board that does not exist")
                        .isEqualTo(missing.body().replace(unknownBoard, board.id().toString()));
            }
            for (String[] reader : List.of(new String[] {"Bearer " + READER, null},
                    new String[] {"bearer  " + ADMIN + " ", null}, new String[] {null, READER})) {
                Answer admitted = get(mine, reader[0], reader[1]);
                assertThat(admitted.status()).as("%s with %s / ?token=%s: %s", mine, reader[0], reader[1],
                        admitted.body()).isEqualTo(200);
            }
        }
    }

    /** The page is the same bytes for every id: a private board's, without a token, shows "does not exist". */
    @Test
    void thePage_ofAPrivateBoard_isThePageOfABoardThatDoesNotExist() throws Exception {
        Answer page = get("/boards/" + board.id(), null, null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).isEqualTo(get("/boards/" + UUID.randomUUID(), null, null).body());
    }

    @Test
    void badParameters_answerAPrivateBoardAsAnUnknownOne() throws Exception {
        for (String query : List.of("?minPosition=abc", "?asOf=yesterday", "/leaderboard?limit=0")) {
            Answer mine = get("/api/v1/scoreboards/" + board.id() + query, null, null);
            UUID unknown = UUID.randomUUID();
            Answer nobodys = get("/api/v1/scoreboards/" + unknown + query, null, null);
            assertThat(mine.status()).as(query).isEqualTo(400);
            assertThat(mine.body()).as(query).isEqualTo(nobodys.body().replace(unknown.toString(), board.id().toString()));
        }
    }

    @Test
    void aBoardMadePublic_isReadByAnyone_andMadePrivateAgain_isNot() throws Exception {
        BoardEvents other = new BoardEvents();
        UUID admin = FirstTokens.adminTokenId(other.id());
        app.topic().publish(other.created("Open quiz", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD));
        EventEnvelope closed = other.next(new ScoreboardVisibilityChangedEvent(other.id(), Visibility.PRIVATE, admin));
        app.topic().publish(closed);
        String path = "/api/v1/scoreboards/" + other.id() + "?minPosition=";
        assertThat(get(path + closed.position(), null, null).status()).isEqualTo(404);
        assertThat(get(path + closed.position(), "Bearer admin-hash-is-not-a-token", null).status()).isEqualTo(404);
        EventEnvelope opened = other.next(new ScoreboardVisibilityChangedEvent(other.id(), Visibility.PUBLIC, admin));
        app.topic().publish(opened);
        assertThat(get(path + opened.position(), null, null).status()).isEqualTo(200);
    }

    /** Every GET path of the OpenAPI document that names a board. */
    private List<String> boardPaths() throws IOException, InterruptedException {
        JsonNode document = JSON.readTree(get("/v3/api-docs", null, null).body());
        List<String> paths = new ArrayList<>();
        for (Iterator<String> names = document.get("paths").fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (name.contains("{scoreboardId}") && document.get("paths").get(name).has("get")) {
                paths.add(name);
            }
        }
        return paths;
    }

    private record Answer(int status, String body) {}

    /** A GET; a stream (the live endpoint) is read only up to its status and first bytes, then closed. */
    private Answer get(String path, String authorization, String token) throws IOException, InterruptedException {
        String query = token == null ? "" : (path.contains("?") ? "&" : "?") + "token=" + token;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path + query))
                .timeout(Duration.ofSeconds(20)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<InputStream> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            boolean stream = response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream");
            byte[] bytes = stream ? body.readNBytes(16) : body.readAllBytes();
            return new Answer(response.statusCode(), new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
