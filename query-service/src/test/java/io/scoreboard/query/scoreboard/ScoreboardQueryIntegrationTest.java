package io.scoreboard.query.scoreboard;

import static io.scoreboard.query.scoreboard.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.projections.BoardEvents;
import io.scoreboard.query.QueryTestApplication;
import io.scoreboard.query.projection.ProjectionRunner;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The query API end to end: events published to a real broker exactly as the command side does,
 * projected by the live runner into a real PostgreSQL read database, read over HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability // Boot switches metrics export off in tests; /actuator/prometheus is under test here
@DirtiesContext
class ScoreboardQueryIntegrationTest {

    private static final QueryTestApplication app = new QueryTestApplication("query-api").createTopic();
    private static final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @Autowired
    private TestRestTemplate http;

    @Autowired
    private ProjectionRunner runner;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        app.properties().forEach((key, value) -> registry.add(key, () -> value));
        registry.add("scoreboard.query.min-position-timeout", () -> "1s");
    }

    @AfterAll
    static void tearDown(@Autowired ProjectionRunner runner) {
        runner.stop(java.time.Duration.ofSeconds(10)); // before its database goes; @DirtiesContext closes the rest
        app.close();
    }

    @Test
    void get_withMinPosition_seesTheWrite_rankedWithExactScores() throws Exception {
        BoardEvents board = new BoardEvents();
        EventEnvelope last;
        app.topic().publish(
                board.created("Quiz night", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD),
                board.added("Bob"), board.added("Ann"), board.added("Cid"),
                board.scoreSet("Ann", "12.5"), board.scoreSet("Bob", "5"),
                last = board.scoreSet("Cid", "5.0000"));

        ResponseEntity<String> response = get("/api/v1/scoreboards/" + board.id() + "?minPosition=" + last.position());

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
        assertThat(Long.parseLong(response.getHeaders().getFirst("X-Projection-Position")))
                .isGreaterThanOrEqualTo(last.position());
        JsonNode body = json.readTree(response.getBody());
        assertThat(body.get("scoreboardId").asText()).isEqualTo(board.id().toString());
        assertThat(body.get("name").asText()).isEqualTo("Quiz night");
        assertThat(body.get("scoreOrder").asText()).isEqualTo("HIGHEST_FIRST");
        assertThat(body.get("ranking").asText()).isEqualTo("STANDARD");
        assertThat(body.get("deleted").asBoolean()).isFalse();
        assertThat(body.get("version").asLong()).isEqualTo(6);
        // Sorted by rank, ties by name; scores exact JSON numbers without trailing zeros.
        assertThat(body.get("participants").toString()).isEqualTo("["
                + "{\"participantId\":\"" + board.participant("Ann") + "\",\"name\":\"Ann\",\"score\":12.5,\"rank\":1,\"teamId\":null},"
                + "{\"participantId\":\"" + board.participant("Bob") + "\",\"name\":\"Bob\",\"score\":5,\"rank\":2,\"teamId\":null},"
                + "{\"participantId\":\"" + board.participant("Cid") + "\",\"name\":\"Cid\",\"score\":5,\"rank\":2,\"teamId\":null}]");
    }

    @Test
    void everyV1EventType_throughTheTopic_isReflected_404WhileDeleted_backAfterRestore() throws Exception {
        BoardEvents board = new BoardEvents();
        app.topic().publish(
                board.created("Quiz", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD),
                board.added("Ann"), board.added("Bob"), board.added("Cid"),
                board.scoreSet("Ann", "5"),
                board.round("Round 1", "Ann=8", "Bob=8", "Cid=3"),
                board.undo(), // round 1: Ann 5, Bob 0, Cid 0
                board.round("Round 2", "Bob=6", "Cid=6"),
                board.renamed("Quiz night"),
                board.participantRenamed("Cid", "Cyd"),
                board.rulesChanged(ScoreOrder.LOWEST_FIRST, Ranking.DENSE));
        UUID firstAnn = board.participant("Ann");
        EventEnvelope last;
        app.topic().publish(
                board.removed("Ann"),
                board.added("Ann"), // a new participant may take a removed one's name
                last = board.round("Round 3", "Ann=6", "Bob=7.25"));
        UUID ann = board.participant("Ann");
        assertThat(ann).isNotEqualTo(firstAnn);
        String participants = "["
                + "{\"participantId\":\"" + ann + "\",\"name\":\"Ann\",\"score\":6,\"rank\":1,\"teamId\":null},"
                + "{\"participantId\":\"" + board.participant("Cyd") + "\",\"name\":\"Cyd\",\"score\":6,\"rank\":1,\"teamId\":null},"
                + "{\"participantId\":\"" + board.participant("Bob") + "\",\"name\":\"Bob\",\"score\":7.25,\"rank\":2,\"teamId\":null}]";

        ResponseEntity<String> response = get("/api/v1/scoreboards/" + board.id() + "?minPosition=" + last.position());
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        JsonNode body = json.readTree(response.getBody());
        assertThat(body.get("name").asText()).isEqualTo("Quiz night");
        assertThat(body.get("scoreOrder").asText()).isEqualTo("LOWEST_FIRST");
        assertThat(body.get("ranking").asText()).isEqualTo("DENSE");
        assertThat(body.get("deleted").asBoolean()).isFalse();
        assertThat(body.get("version").asLong()).isEqualTo(last.sequenceNumber());
        assertThat(body.get("participants").toString()).isEqualTo(participants);

        EventEnvelope deleted = board.deleted();
        app.topic().publish(deleted);
        ResponseEntity<String> whileDeleted = get("/api/v1/scoreboards/" + board.id() + "?minPosition="
                + deleted.position());
        assertProblem(whileDeleted, HttpStatus.NOT_FOUND, "has been deleted");
        assertThat(Long.parseLong(whileDeleted.getHeaders().getFirst("X-Projection-Position")))
                .isGreaterThanOrEqualTo(deleted.position());
        assertProblem(get("/api/v1/scoreboards/" + board.id()), HttpStatus.NOT_FOUND, "has been deleted");

        EventEnvelope restored = board.restored();
        app.topic().publish(restored);
        ResponseEntity<String> back = get("/api/v1/scoreboards/" + board.id() + "?minPosition=" + restored.position());
        assertThat(back.getStatusCode()).isEqualTo(HttpStatus.OK);
        JsonNode restoredBody = json.readTree(back.getBody());
        assertThat(restoredBody.get("version").asLong()).isEqualTo(restored.sequenceNumber());
        assertThat(restoredBody.get("deleted").asBoolean()).isFalse();
        assertThat(restoredBody.get("name").asText()).isEqualTo("Quiz night");
        assertThat(restoredBody.get("scoreOrder").asText()).isEqualTo("LOWEST_FIRST");
        assertThat(restoredBody.get("ranking").asText()).isEqualTo("DENSE");
        assertThat(restoredBody.get("participants").toString()).isEqualTo(participants);
    }

    @Test
    void duplicateDeliveries_areAppliedOnce() throws Exception {
        BoardEvents board = new BoardEvents();
        EventEnvelope created = board.created("Darts", ScoreOrder.LOWEST_FIRST, Ranking.DENSE);
        EventEnvelope ann = board.added("Ann");
        EventEnvelope first = board.scoreSet("Ann", "3");
        app.topic().publish(created, ann, first);
        assertThat(get("/api/v1/scoreboards/" + board.id() + "?minPosition=" + first.position()).getStatusCode())
                .isEqualTo(HttpStatus.OK);
        double duplicatesBefore = runner.duplicateEventCount();

        // At-least-once: the replicator publishes the same events again after a retry.
        EventEnvelope second = board.scoreSet("Ann", "4.25");
        app.topic().publish(created, ann, first, first, second);

        JsonNode body = json.readTree(
                get("/api/v1/scoreboards/" + board.id() + "?minPosition=" + second.position()).getBody());
        assertThat(body.get("version").asLong()).isEqualTo(3);
        assertThat(body.at("/participants/0/score").decimalValue()).isEqualByComparingTo("4.25");
        assertThat(runner.duplicateEventCount() - duplicatesBefore).isEqualTo(4);
    }

    @Test
    void unknownBoard_is404ProblemJson() throws Exception {
        UUID id = UUID.randomUUID();
        ResponseEntity<String> response = get("/api/v1/scoreboards/" + id);

        assertProblem(response, HttpStatus.NOT_FOUND, id.toString());
    }

    @Test
    void unknownBoard_withAReachedMinPosition_is404AfterTheWait() throws Exception {
        BoardEvents other = new BoardEvents();
        EventEnvelope created = other.created("Other", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD);
        app.topic().publish(created);

        ResponseEntity<String> response = get("/api/v1/scoreboards/" + UUID.randomUUID() + "?minPosition="
                + created.position());

        assertProblem(response, HttpStatus.NOT_FOUND, "does not exist");
    }

    @Test
    void malformedInput_is400ProblemJson_neverA500() throws Exception {
        assertProblem(get("/api/v1/scoreboards/not-a-uuid"), HttpStatus.BAD_REQUEST, "scoreboardId");
        assertProblem(get("/api/v1/scoreboards/" + UUID.randomUUID() + "?minPosition=abc"), HttpStatus.BAD_REQUEST,
                "minPosition");
        assertProblem(get("/api/v1/scoreboards/" + UUID.randomUUID() + "?minPosition=-1"), HttpStatus.BAD_REQUEST,
                "minPosition");
        assertProblem(get("/api/v1/scoreboards/" + UUID.randomUUID() + "?minPosition=99999999999999999999999"),
                HttpStatus.BAD_REQUEST, "minPosition");
    }

    @Test
    void unknownPath_is404ProblemJson() throws Exception {
        assertProblem(get("/api/v1/nothing-here"), HttpStatus.NOT_FOUND, "");
    }

    @Test
    void minPositionBeyondAnythingPublished_is503WithRetryAfter_withinTheTimeout() throws Exception {
        BoardEvents board = new BoardEvents();
        EventEnvelope created = board.created("Future", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD);
        app.topic().publish(created);

        long started = System.nanoTime();
        ResponseEntity<String> response = get("/api/v1/scoreboards/" + board.id() + "?minPosition="
                + (created.position() + 1_000_000));
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

        assertProblem(response, HttpStatus.SERVICE_UNAVAILABLE, "has not reached position");
        assertThat(response.getHeaders().getFirst("Retry-After")).isEqualTo("1");
        assertThat(elapsedMillis).isBetween(900L, 4_000L);
    }

    @Test
    void healthAndPrometheus_reportTheProjection() throws Exception {
        JsonNode health = json.readTree(get("/actuator/health").getBody());
        assertThat(health.at("/components/projection/status").asText()).isEqualTo("UP");
        assertThat(health.at("/components/projection/details/state").asText()).isEqualTo("RUNNING");

        String metrics = get("/actuator/prometheus").getBody();
        assertThat(metrics).contains("scoreboard_projection_events_total{outcome=\"applied\",projection=\"scoreboard\"}")
                .contains("scoreboard_projection_lag_events{projection=\"scoreboard\"}");
    }

    private ResponseEntity<String> get(String path) {
        return http.getForEntity(path, String.class);
    }
}
