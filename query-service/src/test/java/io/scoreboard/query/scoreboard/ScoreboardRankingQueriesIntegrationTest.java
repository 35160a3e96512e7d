package io.scoreboard.query.scoreboard;

import static io.scoreboard.query.scoreboard.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.ParticipantTeamChangedEvent;
import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.events.TeamCreatedEvent;
import io.scoreboard.events.TeamRemovedEvent;
import io.scoreboard.projections.BoardEvents;
import io.scoreboard.query.QueryTestApplication;
import io.scoreboard.query.projection.ProjectionRunner;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Leaderboard pages, one participant's standing and its neighbourhood, end to end: events published
 * to a real broker, projected by the live runner into a real PostgreSQL, read over HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class ScoreboardRankingQueriesIntegrationTest {

    private static final QueryTestApplication app = new QueryTestApplication("query-ranking").createTopic();
    private static final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @Autowired
    private TestRestTemplate http;

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

    /** Five participants with two ties; Cid reached 10 before Ann, Eve reached 7 before Bob. */
    private record Board(BoardEvents events, EventEnvelope last) {
        String path() {
            return "/api/v1/scoreboards/" + events.id();
        }

        String participantPath(String name) {
            return path() + "/participants/" + events.participant(name);
        }
    }

    private Board publishBoard(Ranking ranking) {
        BoardEvents board = new BoardEvents();
        EventEnvelope last;
        app.topic().publish(board.created("Ranks", ScoreOrder.HIGHEST_FIRST, ranking),
                board.added("Ann"), board.added("Bob"), board.added("Cid"), board.added("Dan"), board.added("Eve"),
                board.scoreSet("Cid", "10"), board.scoreSet("Eve", "7"), board.scoreSet("Ann", "10"),
                board.scoreSet("Bob", "7"), last = board.scoreSet("Dan", "3.5"));
        return new Board(board, last);
    }

    @ParameterizedTest
    @CsvSource({
            "STANDARD, Ann:1 Cid:1 Bob:3 Eve:3 Dan:5",
            "DENSE,    Ann:1 Cid:1 Bob:2 Eve:2 Dan:3",
            "ORDINAL,  Cid:1 Ann:2 Eve:3 Bob:4 Dan:5"})
    void leaderboard_pagesFollowRankOrder_withRanksOverTheWholeBoard(Ranking ranking, String expected)
            throws Exception {
        Board board = publishBoard(ranking);
        List<String> all = List.of(expected.split(" "));

        JsonNode page = body(get(board.path() + "/leaderboard?limit=2&offset=1&minPosition=" + board.last().position()));
        assertThat(page.get("scoreboardId").asText()).isEqualTo(board.events().id().toString());
        assertThat(page.get("name").asText()).isEqualTo("Ranks");
        assertThat(page.get("version").asLong()).isEqualTo(board.last().sequenceNumber());
        assertThat(page.get("total").asLong()).isEqualTo(5);
        assertThat(page.get("limit").asInt()).isEqualTo(2);
        assertThat(page.get("offset").asLong()).isEqualTo(1);
        assertThat(ranks(page)).isEqualTo(all.subList(1, 3));
        assertThat(page.at("/participants/0/participantId").asText())
                .isEqualTo(board.events().participant(all.get(1).split(":")[0]).toString());

        assertThat(ranks(body(get(board.path() + "/leaderboard?limit=2&offset=4")))).isEqualTo(all.subList(4, 5));
        JsonNode defaults = body(get(board.path() + "/leaderboard"));
        assertThat(defaults.get("limit").asInt()).isEqualTo(100);
        assertThat(defaults.get("offset").asLong()).isZero();
        assertThat(ranks(defaults)).isEqualTo(all);
        JsonNode pastTheEnd = body(get(board.path() + "/leaderboard?offset=5"));
        assertThat(pastTheEnd.get("total").asLong()).isEqualTo(5);
        assertThat(pastTheEnd.get("participants")).isEmpty();
    }

    @Test
    void leaderboard_firstPageKeptAsWritten_isTheSameAnswerAsAnyPage_andMovesWithTheBoard() throws Exception {
        Board board = publishBoard(Ranking.STANDARD);
        String first = board.path() + "/leaderboard?limit=2&minPosition=" + board.last().position();

        ResponseEntity<String> kept = get(first);
        JsonNode page = body(kept);
        assertThat(body(get(first)).toString()).isEqualTo(page.toString()); // the kept bytes, sent again
        // the same fields, in the same shape, as a page that is written each time
        JsonNode second = body(get(board.path() + "/leaderboard?limit=2&offset=2"));
        assertThat(fieldNames(page)).isEqualTo(fieldNames(second));
        assertThat(page.get("offset").asLong()).isZero();
        assertThat(page.get("limit").asInt()).isEqualTo(2);
        assertThat(ranks(page)).containsExactly("Ann:1", "Cid:1");
        assertThat(ranks(body(get(board.path() + "/leaderboard?limit=3")))).containsExactly("Ann:1", "Cid:1", "Bob:3");
        assertThat(ranks(body(get(first)))).containsExactly("Ann:1", "Cid:1");

        EventEnvelope next = board.events().scoreSet("Dan", "11");
        app.topic().publish(next);
        JsonNode moved = body(get(board.path() + "/leaderboard?limit=2&minPosition=" + next.position()));
        assertThat(moved.get("version").asLong()).isEqualTo(next.sequenceNumber());
        assertThat(ranks(moved)).containsExactly("Dan:1", "Ann:2");
    }

    /**
     * Teams (ADR 0046): Red (Ann 10 + Bob 7) and Blue (Cid 10); a removed team is not listed; Dan and Eve have no
     * team. Standings now, as of an instant before the teams and over a window; every answer naming participants
     * shows their team.
     */
    @Test
    void teams_standingsOfTheCurrentTeams_andTheParticipantsTeamInEveryAnswer() throws Exception {
        Board board = publishBoard(Ranking.STANDARD);
        BoardEvents e = board.events();
        UUID red = UUID.randomUUID();
        UUID blue = UUID.randomUUID();
        UUID gone = UUID.randomUUID();
        EventEnvelope first = e.next(new TeamCreatedEvent(e.id(), red, "Red", null));
        EventEnvelope last;
        app.topic().publish(first, e.next(new TeamCreatedEvent(e.id(), blue, "Blue", null)),
                e.next(new TeamCreatedEvent(e.id(), gone, "Gone", null)),
                e.next(new ParticipantTeamChangedEvent(e.id(), e.participant("Ann"), red, null)),
                e.next(new ParticipantTeamChangedEvent(e.id(), e.participant("Bob"), red, null)),
                e.next(new ParticipantTeamChangedEvent(e.id(), e.participant("Cid"), blue, null)),
                e.next(new ParticipantTeamChangedEvent(e.id(), e.participant("Eve"), gone, null)),
                last = e.next(new TeamRemovedEvent(e.id(), gone, null)));
        String teams = board.path() + "/teams";

        ResponseEntity<String> answer = get(teams + "?minPosition=" + last.position());
        assertThat(answer.getHeaders().getETag()).isEqualTo("\"" + last.sequenceNumber() + "\"");
        assertThat(body(answer)).isEqualTo(json.readTree("""
                {"scoreboardId":"%s","version":%d,"teams":[
                  {"teamId":"%s","name":"Red","score":17,"rank":1,"members":[
                    {"participantId":"%s","name":"Ann","score":10},{"participantId":"%s","name":"Bob","score":7}]},
                  {"teamId":"%s","name":"Blue","score":10,"rank":2,"members":[
                    {"participantId":"%s","name":"Cid","score":10}]}]}""".formatted(e.id(), last.sequenceNumber(),
                red, e.participant("Ann"), e.participant("Bob"), blue, e.participant("Cid"))));

        JsonNode before = body(get(teams + "?asOf=" + first.occurredAt().minusMillis(1)));
        assertThat(before.get("teams")).isEmpty();
        assertThat(before.get("version").asLong()).isEqualTo(board.last().sequenceNumber());
        assertThat(before.get("asOf").asText()).isEqualTo(first.occurredAt().minusMillis(1).toString());
        JsonNode window = body(get(teams + "?from=" + first.occurredAt()));
        assertThat(window.get("from").asText()).isEqualTo(first.occurredAt().toString());
        assertThat(StreamSupport.stream(window.get("teams").spliterator(), false)
                .map(t -> t.get("name").asText() + ":" + t.get("score").asText() + ":" + t.get("rank").asLong()))
                .as("no points since the teams were made").containsExactly("Blue:0:1", "Red:0:1");

        JsonNode whole = body(get(board.path()));
        assertThat(whole.get("teams").toString()).isEqualTo("[{\"teamId\":\"" + blue + "\",\"name\":\"Blue\"},"
                + "{\"teamId\":\"" + red + "\",\"name\":\"Red\"}]");
        assertThat(teamsOf(whole)).containsExactly("Ann:" + red, "Cid:" + blue, "Bob:" + red, "Eve:null", "Dan:null");
        assertThat(teamsOf(body(get(board.path() + "/leaderboard?limit=2&offset=2")))).containsExactly("Bob:" + red,
                "Eve:null");
        assertThat(teamsOf(body(get(board.participantPath("Ann") + "/around?radius=1"))))
                .containsExactly("Ann:" + red, "Cid:" + blue);
        assertThat(body(get(board.participantPath("Cid"))).get("teamId").asText()).isEqualTo(blue.toString());
        assertThat(body(get(board.participantPath("Dan"))).get("teamId").isNull()).isTrue();
        assertThat(teamsOf(body(get(board.path() + "?asOf=" + first.occurredAt().minusMillis(1)))))
                .as("nobody had a team then").allMatch(p -> p.endsWith(":null"));

        assertProblem(get("/api/v1/scoreboards/" + UUID.randomUUID() + "/teams"), HttpStatus.NOT_FOUND,
                "does not exist");
        assertProblem(get(teams + "?asOf=yesterday"), HttpStatus.BAD_REQUEST, "asOf");
        assertProblem(get(teams + "?asOf=" + first.occurredAt() + "&from=" + first.occurredAt()),
                HttpStatus.BAD_REQUEST, "asOf cannot be combined with from/to");
        assertProblem(get(teams + "?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z"), HttpStatus.BAD_REQUEST,
                "from must be before to");
    }

    /** "name:teamId" per listed participant, in the order answered. */
    private static List<String> teamsOf(JsonNode answer) {
        return StreamSupport.stream(answer.get("participants").spliterator(), false)
                .map(p -> p.get("name").asText() + ":" + (p.get("teamId").isNull() ? "null" : p.get("teamId").asText()))
                .toList();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @ParameterizedTest
    @CsvSource({
            "STANDARD, Eve, 1, Bob:3 Eve:3 Dan:5,       3",
            "DENSE,    Bob, 1, Cid:1 Bob:2 Eve:2,       2",
            "ORDINAL,  Ann, 1, Cid:1 Ann:2 Eve:3,       2",
            "ORDINAL,  Cid, 2, Cid:1 Ann:2 Eve:3,       1",
            "STANDARD, Dan, 0, Dan:5,                   5"})
    void participantAndAround_rankTiesLikeTheBoard_andStopAtTheEnds(Ranking ranking, String name, int radius,
                                                                   String expectedAround, long expectedRank)
            throws Exception {
        Board board = publishBoard(ranking);
        UUID participant = board.events().participant(name);

        JsonNode standing = body(get(board.participantPath(name) + "?minPosition=" + board.last().position()));
        assertThat(standing.get("scoreboardId").asText()).isEqualTo(board.events().id().toString());
        assertThat(standing.get("participantId").asText()).isEqualTo(participant.toString());
        assertThat(standing.get("name").asText()).isEqualTo(name);
        assertThat(standing.get("rank").asLong()).isEqualTo(expectedRank);
        assertThat(standing.get("version").asLong()).isEqualTo(board.last().sequenceNumber());

        JsonNode around = body(get(board.participantPath(name) + "/around?radius=" + radius));
        assertThat(around.get("participantId").asText()).isEqualTo(participant.toString());
        assertThat(around.get("version").asLong()).isEqualTo(board.last().sequenceNumber());
        assertThat(String.join(" ", ranks(around))).isEqualTo(expectedAround);
    }

    /**
     * ADR 0028: once the runner has applied a board and its ranking is kept, a read without minPosition takes
     * no connection from the request pool (only the projection-position reading, at most one per 20 ms, may);
     * a read with minPosition still looks the board's version up, one connection each.
     */
    @Test
    void aKeptBoardTheRunnerApplied_isReadWithoutAConnection_unlessTheReadAsksForAPosition(
            @Autowired ScoreboardQueries queries, @Autowired MeterRegistry meters) throws Exception {
        Board board = publishBoard(Ranking.STANDARD);
        UUID id = board.events().id();
        long position = board.last().position();
        assertThat(queries.page(id, 10, 0, position).result().board().participants()).hasSize(5);

        int reads = 200;
        double before = borrowed(meters);
        long started = System.nanoTime();
        for (int i = 0; i < reads; i++) {
            assertThat(queries.page(id, 10, 0, null).result().board().version()).isEqualTo(board.last().sequenceNumber());
        }
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
        double fromMemory = borrowed(meters) - before;
        assertThat(fromMemory).as("connections for %d reads in %d ms", reads, elapsedMillis)
                .isLessThanOrEqualTo(elapsedMillis / 20.0 + 2).isLessThan(reads);

        before = borrowed(meters);
        for (int i = 0; i < reads; i++) {
            queries.page(id, 10, 0, position);
        }
        assertThat(borrowed(meters) - before).as("a read with minPosition looks the version up").isGreaterThanOrEqualTo(reads);
    }

    /** Connections returned to the request pool ("query") so far. */
    private static double borrowed(MeterRegistry meters) {
        return meters.get("hikaricp.connections.usage").tag("pool", "query").timer().count();
    }

    @Test
    void participant_hasItsExactScore_andAroundDefaultsToRadius2() throws Exception {
        Board board = publishBoard(Ranking.STANDARD);

        JsonNode dan = body(get(board.participantPath("Dan") + "?minPosition=" + board.last().position()));
        assertThat(dan.get("score").decimalValue()).isEqualByComparingTo("3.5");
        assertThat(dan.get("score").toString()).isEqualTo("3.5");

        assertThat(ranks(body(get(board.participantPath("Bob") + "/around"))))
                .containsExactly("Ann:1", "Cid:1", "Bob:3", "Eve:3", "Dan:5");
        assertThat(ranks(body(get(board.participantPath("Dan") + "/around"))))
                .containsExactly("Bob:3", "Eve:3", "Dan:5");
    }

    @Test
    void removedOrUnknownParticipant_is404() throws Exception {
        Board board = publishBoard(Ranking.DENSE);
        String bob = board.participantPath("Bob"); // before the removal: BoardEvents forgets removed names
        EventEnvelope removed = board.events().removed("Bob");
        app.topic().publish(removed);

        assertProblem(get(bob + "?minPosition=" + removed.position()), HttpStatus.NOT_FOUND, "never added, or removed");
        assertProblem(get(bob + "/around"), HttpStatus.NOT_FOUND, "never added, or removed");
        UUID stranger = UUID.randomUUID();
        assertProblem(get(board.path() + "/participants/" + stranger), HttpStatus.NOT_FOUND, stranger.toString());
        assertProblem(get(board.path() + "/participants/" + stranger + "/around"), HttpStatus.NOT_FOUND,
                stranger.toString());
        // Bob no longer counts or takes a place.
        JsonNode page = body(get(board.path() + "/leaderboard"));
        assertThat(page.get("total").asLong()).isEqualTo(4);
        assertThat(ranks(page)).containsExactly("Ann:1", "Cid:1", "Eve:2", "Dan:3");
    }

    @Test
    void deletedOrUnknownBoard_is404OnEveryEndpoint() throws Exception {
        Board board = publishBoard(Ranking.STANDARD);
        EventEnvelope deleted = board.events().deleted();
        app.topic().publish(deleted);

        for (String path : everyEndpoint(board)) {
            assertProblem(get(query(path, "minPosition=" + deleted.position())), HttpStatus.NOT_FOUND, "has been deleted");
        }
        String unknown = "/api/v1/scoreboards/" + UUID.randomUUID();
        for (String path : List.of(unknown, unknown + "/leaderboard", unknown + "/participants/" + UUID.randomUUID(),
                unknown + "/participants/" + UUID.randomUUID() + "/around")) {
            assertProblem(get(path), HttpStatus.NOT_FOUND, "does not exist");
        }
    }

    @Test
    void everyEndpoint_tagsTheBoardVersion_andAnswersIfNoneMatchWith304() throws Exception {
        Board board = publishBoard(Ranking.ORDINAL);
        String etag = "\"" + board.last().sequenceNumber() + "\"";
        get(board.path() + "?minPosition=" + board.last().position());

        for (String path : everyEndpoint(board)) {
            ResponseEntity<String> fresh = get(path);
            assertThat(fresh.getStatusCode()).as(path).isEqualTo(HttpStatus.OK);
            assertThat(fresh.getHeaders().getETag()).as(path).isEqualTo(etag);
            assertThat(fresh.getHeaders().getFirst("X-Projection-Position")).as(path).matches("\\d+");

            for (String ifNoneMatch : List.of(etag, "*", "\"1\", " + etag)) {
                ResponseEntity<String> notModified = get(path, ifNoneMatch);
                assertThat(notModified.getStatusCode()).as(path + " " + ifNoneMatch).isEqualTo(HttpStatus.NOT_MODIFIED);
                assertThat(notModified.getBody()).as(path).isNull();
                assertThat(notModified.getHeaders().getETag()).as(path).isEqualTo(etag);
                assertThat(notModified.getHeaders().getFirst("X-Projection-Position")).as(path).matches("\\d+");
            }
            ResponseEntity<String> stale = get(path, "\"1\"");
            assertThat(stale.getStatusCode()).as(path).isEqualTo(HttpStatus.OK);
            assertThat(stale.getBody()).as(path).isNotEmpty();
        }

        // A new event moves the version: the old tag no longer matches.
        EventEnvelope next = board.events().scoreSet("Dan", "11");
        app.topic().publish(next);
        ResponseEntity<String> changed = get(board.path() + "/leaderboard?minPosition=" + next.position(), etag);
        assertThat(changed.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(changed.getHeaders().getETag()).isEqualTo("\"" + next.sequenceNumber() + "\"");
        assertThat(ranks(body(changed)).get(0)).isEqualTo("Dan:1");
    }

    @Test
    void badParameters_are400ProblemJson_namingTheParameterAndItsRange() throws Exception {
        Board board = publishBoard(Ranking.STANDARD);
        String leaderboard = board.path() + "/leaderboard";
        String around = board.participantPath("Ann") + "/around";

        for (String limit : List.of("0", "-1", "1001", "abc", "1.5", "99999999999999999999")) {
            assertProblem(get(leaderboard + "?limit=" + limit), HttpStatus.BAD_REQUEST,
                    "limit must be a whole number from 1 to 1000", "'" + limit + "'");
        }
        for (String offset : List.of("-1", "x")) {
            assertProblem(get(leaderboard + "?offset=" + offset), HttpStatus.BAD_REQUEST,
                    "offset must be a whole number >= 0", "'" + offset + "'");
        }
        for (String radius : List.of("-1", "101", "two")) {
            assertProblem(get(around + "?radius=" + radius), HttpStatus.BAD_REQUEST,
                    "radius must be a whole number from 0 to 100", "'" + radius + "'");
        }
        assertProblem(get(board.path() + "/participants/not-a-uuid"), HttpStatus.BAD_REQUEST, "participantId");
        assertProblem(get(board.path() + "/participants/not-a-uuid/around"), HttpStatus.BAD_REQUEST, "participantId");
        assertProblem(get("/api/v1/scoreboards/not-a-uuid/leaderboard"), HttpStatus.BAD_REQUEST, "scoreboardId");
        for (String path : everyEndpoint(board)) {
            assertProblem(get(query(path, "minPosition=-1")), HttpStatus.BAD_REQUEST, "minPosition");
            assertProblem(get(query(path, "minPosition=soon")), HttpStatus.BAD_REQUEST, "minPosition");
        }
    }

    @Test
    void minPositionBeyondAnythingPublished_is503OnTheNewEndpoints() throws Exception {
        Board board = publishBoard(Ranking.STANDARD);
        long future = board.last().position() + 1_000_000;

        for (String path : everyEndpoint(board).subList(1, 4)) {
            ResponseEntity<String> response = get(query(path, "minPosition=" + future));
            // The detail varies with where the wait ran out (checkpoints, or the topic's end offsets).
            assertProblem(response, HttpStatus.SERVICE_UNAVAILABLE, "position " + future);
            assertThat(response.getHeaders().getFirst("Retry-After")).isEqualTo("1");
        }
    }

    @Test
    void apiDocs_describeTheTextParametersAsBoundedIntegers() throws Exception {
        JsonNode docs = json.readTree(get("/v3/api-docs").getBody());
        JsonNode leaderboard = docs.at("/paths/~1api~1v1~1scoreboards~1{scoreboardId}~1leaderboard/get/parameters");
        JsonNode around = docs.at(
                "/paths/~1api~1v1~1scoreboards~1{scoreboardId}~1participants~1{participantId}~1around/get/parameters");

        assertThat(schemaOf(leaderboard, "limit").toString())
                .contains("\"type\":\"integer\"", "\"maximum\":1000", "\"minimum\":1", "\"default\":100");
        assertThat(schemaOf(leaderboard, "offset").toString()).contains("\"type\":\"integer\"", "\"minimum\":0");
        assertThat(schemaOf(around, "radius").toString())
                .contains("\"type\":\"integer\"", "\"maximum\":100", "\"default\":2");
    }

    private static JsonNode schemaOf(JsonNode parameters, String name) {
        return StreamSupport.stream(parameters.spliterator(), false)
                .filter(p -> p.get("name").asText().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no parameter " + name + " in " + parameters))
                .get("schema");
    }

    private static List<String> everyEndpoint(Board board) {
        return List.of(board.path(), board.path() + "/leaderboard", board.participantPath("Ann"),
                board.participantPath("Ann") + "/around", board.path() + "/history",
                board.path() + "?asOf=2999-01-01T00:00:00Z", board.path() + "/leaderboard?from=2000-01-01T00:00:00Z",
                board.path() + "/teams", board.path() + "/teams?asOf=2999-01-01T00:00:00Z");
    }

    /** {@code path} with one more query parameter. */
    private static String query(String path, String parameter) {
        return path + (path.contains("?") ? "&" : "?") + parameter;
    }

    private ResponseEntity<String> get(String path) {
        return http.getForEntity(path, String.class);
    }

    private ResponseEntity<String> get(String path, String ifNoneMatch) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.IF_NONE_MATCH, ifNoneMatch);
        return http.exchange(path, HttpMethod.GET, new HttpEntity<>(headers), String.class);
    }

    private static JsonNode body(ResponseEntity<String> response) throws Exception {
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(HttpStatus.OK);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
        return json.readTree(response.getBody());
    }

    /** "name:rank" per listed participant, in the order answered. */
    private static List<String> ranks(JsonNode answer) {
        return StreamSupport.stream(answer.get("participants").spliterator(), false)
                .map(p -> p.get("name").asText() + ":" + p.get("rank").asLong())
                .toList();
    }
}
