package io.scoreboard.query.scoreboard;

import static io.scoreboard.query.scoreboard.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreChangedEvent;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.projections.BoardEvents;
import io.scoreboard.query.QueryTestApplication;
import io.scoreboard.query.projection.ProjectionRunner;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code /history}, {@code ?asOf=} and windowed leaderboards ({@code ?from=&to=}) end to end: events
 * published to a real broker, projected by the live runner into a real PostgreSQL, read over HTTP.
 * Event times in {@link BoardEvents} are 2025-01-01T00:00:00Z plus one second per sequence number.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class ScoreboardHistoryQueriesIntegrationTest {

    private static final QueryTestApplication app = new QueryTestApplication("query-history").createTopic();
    private static final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @Autowired
    private TestRestTemplate http;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        app.properties().forEach((key, value) -> registry.add(key, () -> value));
    }

    @AfterAll
    static void tearDown(@Autowired ProjectionRunner runner) {
        runner.stop(java.time.Duration.ofSeconds(10));
        app.close();
    }

    /** Ann, Bob, Cid; a reasoned change, a round, an undo of it, a rename, a removal. */
    private record Story(BoardEvents board, List<EventEnvelope> events, java.util.Map<String, java.util.UUID> ids) {
        String path() {
            return "/api/v1/scoreboards/" + board.id();
        }

        EventEnvelope last() {
            return events.get(events.size() - 1);
        }

        Instant timeOf(int index) {
            return events.get(index).occurredAt();
        }
    }

    private Story publishStory() {
        BoardEvents board = new BoardEvents();
        List<EventEnvelope> events = new ArrayList<>();
        events.add(board.created("Quiz", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD)); // 0
        events.add(board.added("Ann"));                                                // 1
        events.add(board.added("Bob"));                                                // 2
        events.add(board.added("Cid"));                                                // 3
        events.add(board.scoreSet("Ann", "5"));                                        // 4
        events.add(board.next(new ScoreChangedEvent(board.id(), board.participant("Bob"), new BigDecimal("2.5"),
                new BigDecimal("2.5"), "bonus, \"fast\"")));                          // 5
        events.add(board.round("Round 1", "Ann=6", "Cid=3"));                          // 6 (Ann 5 -> 6 in the fixture)
        events.add(board.undo());                                                      // 7 undoes 6
        events.add(board.participantRenamed("Cid", "Cyd"));                            // 8
        events.add(board.scoreSet("Cyd", "9"));                                        // 9
        events.add(board.removed("Ann"));                                              // 10
        app.topic().publish(events.toArray(EventEnvelope[]::new));
        return new Story(board, events, java.util.Map.of("Ann", addedId(events.get(1)), "Bob", addedId(events.get(2)),
                "Cyd", addedId(events.get(3))));
    }

    private static java.util.UUID addedId(EventEnvelope added) {
        return ((io.scoreboard.events.ParticipantAddedEvent) added.payload()).participantId();
    }

    @Test
    void history_listsScoreChangesNewestFirst_withUndoMarks_andPagesWholeEvents() throws Exception {
        Story story = publishStory();
        awaitProjected(story);
        JsonNode all = body(get(story.path() + "/history?minPosition=" + story.last().position()));
        assertThat(all.get("version").asLong()).isEqualTo(story.last().sequenceNumber());
        assertThat(entries(all)).extracting(e -> e.substring(0, 2))
                .containsExactly("9 ", "7 ", "7 ", "6 ", "6 ", "5 ", "4 ");
        assertThat(entries(all)).containsExactlyInAnyOrder(
                "9 ScoreChanged Cyd +9 =9 null undone=false",
                "7 ScoreChangeUndone Ann -1 =5 null undone=false undoes=6",
                "7 ScoreChangeUndone Cid -3 =0 null undone=false undoes=6",
                "6 RoundRecorded Ann +1 =6 Round 1 undone=true",
                "6 RoundRecorded Cid +3 =3 Round 1 undone=true",
                "5 ScoreChanged Bob +2.5 =2.5 bonus, \"fast\" undone=false",
                "4 ScoreChanged Ann +5 =5 null undone=false");
        assertThat(all.get("nextBefore").isNull()).isTrue();
        JsonNode first = all.at("/entries/0");
        assertThat(first.get("time").asText()).isEqualTo(story.timeOf(9).toString());
        assertThat(first.get("position").asLong()).isEqualTo(story.events().get(9).position());
        assertThat(first.get("participantId").asText()).isEqualTo(story.ids().get("Cyd").toString());

        // Three entries per page would cut the undo (two entries) after the first: it moves to the next page.
        JsonNode page1 = body(get(story.path() + "/history?limit=2"));
        assertThat(entries(page1)).hasSize(1).first().asString().startsWith("9 ");
        JsonNode page2 = body(get(story.path() + "/history?limit=2&before=" + page1.get("nextBefore").asLong()));
        assertThat(entries(page2)).extracting(e -> e.substring(0, 2)).containsExactly("7 ", "7 ");
        JsonNode page3 = body(get(story.path() + "/history?limit=1&before=" + page2.get("nextBefore").asLong()));
        assertThat(entries(page3)).as("a round larger than the page comes whole").hasSize(2);

        // One participant, removed since: its history stays.
        JsonNode ann = body(get(story.path() + "/history?participantId=" + story.ids().get("Ann")));
        assertThat(entries(ann)).extracting(e -> e.substring(0, 2)).containsExactly("7 ", "6 ", "4 ");
        assertThat(ann.get("participantId").asText()).isEqualTo(story.ids().get("Ann").toString());
    }

    @Test
    void asOf_answersTheBoardAsItStoodThen_onTheBoardLeaderboardAndParticipant() throws Exception {
        Story story = publishStory();
        awaitProjected(story);

        JsonNode afterRound = body(get(story.path() + "?asOf=" + story.timeOf(6)));
        assertThat(afterRound.get("version").asLong()).isEqualTo(6);
        assertThat(afterRound.get("asOf").asText()).isEqualTo(story.timeOf(6).toString());
        assertThat(standings(afterRound)).containsExactly("Ann=6:1", "Cid=3:2", "Bob=2.5:3");
        // Half a second later nothing happened yet; the undo's instant reverts the round.
        assertThat(standings(body(get(story.path() + "?asOf=" + story.timeOf(6).plusMillis(500)))))
                .containsExactly("Ann=6:1", "Cid=3:2", "Bob=2.5:3");
        assertThat(standings(body(get(story.path() + "?asOf=" + story.timeOf(7)))))
                .containsExactly("Ann=5:1", "Bob=2.5:2", "Cid=0:3");
        // Names as they were: Cid before the rename; Ann before her removal.
        assertThat(standings(body(get(story.path() + "?asOf=" + story.timeOf(9)))))
                .containsExactly("Cyd=9:1", "Ann=5:2", "Bob=2.5:3");
        assertThat(standings(body(get(story.path())))).containsExactly("Cyd=9:1", "Bob=2.5:2");

        JsonNode page = body(get(story.path() + "/leaderboard?limit=1&offset=1&asOf=" + story.timeOf(6)));
        assertThat(standings(page)).containsExactly("Cid=3:2");
        assertThat(page.get("total").asLong()).isEqualTo(3);
        JsonNode annThen = body(get(story.path() + "/participants/" + story.ids().get("Ann") + "?asOf="
                + story.timeOf(9)));
        assertThat(annThen.get("rank").asLong()).isEqualTo(2);
        assertProblem(get(story.path() + "/participants/" + story.ids().get("Ann")), HttpStatus.NOT_FOUND,
                "never added, or removed");

        assertProblem(get(story.path() + "?asOf=" + story.timeOf(0).minusSeconds(1)), HttpStatus.NOT_FOUND,
                "does not exist");
        // An offset is fine; it is the same instant.
        assertThat(body(get(story.path() + "?asOf=2025-01-01T01:00:07%2B01:00")).get("version").asLong())
                .isEqualTo(6);
    }

    @Test
    void windowedLeaderboard_ranksPointsScoredInTheWindow_withoutUndoneChanges() throws Exception {
        Story story = publishStory();
        awaitProjected(story);
        // from the bonus (5) up to, not including, Cyd's 9 (event 9): Bob +2.5; the round was undone.
        JsonNode window = body(get(story.path() + "/leaderboard?from=" + story.timeOf(5) + "&to=" + story.timeOf(9)));
        assertThat(standings(window)).containsExactly("Bob=2.5:1", "Cyd=0:2");
        assertThat(window.get("from").asText()).isEqualTo(story.timeOf(5).toString());
        assertThat(window.get("to").asText()).isEqualTo(story.timeOf(9).toString());
        assertThat(window.has("asOf")).isFalse();
        assertThat(standings(body(get(story.path() + "/leaderboard?from=" + story.timeOf(9)))))
                .containsExactly("Cyd=9:1", "Bob=0:2");
        assertThat(body(get(story.path() + "/participants/" + story.ids().get("Bob") + "?to="
                + story.timeOf(9))).get("score").decimalValue()).isEqualByComparingTo("2.5");
    }

    @Test
    void badHistoryAndTimeParameters_are400ProblemJson_unknownParticipantIs404() throws Exception {
        Story story = publishStory();
        awaitProjected(story);
        assertProblem(get(story.path() + "?asOf=yesterday"), HttpStatus.BAD_REQUEST, "asOf", "ISO-8601");
        assertProblem(get(story.path() + "?asOf=2025-01-01T00:00:00"), HttpStatus.BAD_REQUEST, "asOf", "zone");
        assertProblem(get(story.path() + "/leaderboard?from=soon"), HttpStatus.BAD_REQUEST, "from");
        assertProblem(get(story.path() + "/leaderboard?to=2025-13-01T00:00:00Z"), HttpStatus.BAD_REQUEST, "to");
        assertProblem(get(story.path() + "/leaderboard?from=" + story.timeOf(5) + "&to=" + story.timeOf(5)),
                HttpStatus.BAD_REQUEST, "from must be before to");
        assertProblem(get(story.path() + "/leaderboard?asOf=" + story.timeOf(5) + "&from=" + story.timeOf(1)),
                HttpStatus.BAD_REQUEST, "asOf cannot be combined");
        assertProblem(get(story.path() + "/history?limit=0"), HttpStatus.BAD_REQUEST, "limit", "1 to 1000");
        assertProblem(get(story.path() + "/history?limit=-3"), HttpStatus.BAD_REQUEST, "limit");
        assertProblem(get(story.path() + "/history?before=0"), HttpStatus.BAD_REQUEST, "before", ">= 1");
        assertProblem(get(story.path() + "/history?before=later"), HttpStatus.BAD_REQUEST, "before");
        assertProblem(get(story.path() + "/history?participantId=nobody"), HttpStatus.BAD_REQUEST, "participantId");
        java.util.UUID stranger = java.util.UUID.randomUUID();
        assertProblem(get(story.path() + "/history?participantId=" + stranger), HttpStatus.NOT_FOUND,
                stranger.toString());
    }

    /** Waits for the story's last event (the first reads of a fresh topic can outlast one minPosition wait). */
    private void awaitProjected(Story story) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (get(story.path() + "?minPosition=" + story.last().position()).getStatusCode() != HttpStatus.OK) {
            assertThat(System.nanoTime() - deadline).as("projected within 60 s").isNegative();
            Thread.sleep(200);
        }
    }

    private ResponseEntity<String> get(String path) {
        return http.getForEntity(java.net.URI.create(http.getRootUri() + path), String.class);
    }

    private static JsonNode body(ResponseEntity<String> response) throws Exception {
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(HttpStatus.OK);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
        assertThat(response.getHeaders().getFirst("X-Projection-Position")).isNotNull();
        return json.readTree(response.getBody());
    }

    /** "seq type name ±delta =score reason undone=… [undoes=…]" per entry, in the order answered. */
    private static List<String> entries(JsonNode history) {
        return StreamSupport.stream(history.get("entries").spliterator(), false).map(e -> {
            BigDecimal delta = e.get("delta").decimalValue();
            String text = e.get("sequenceNumber").asLong() + " " + e.get("type").asText() + " "
                    + e.get("participantName").asText() + " " + (delta.signum() >= 0 ? "+" : "")
                    + delta.toPlainString() + " =" + e.get("scoreAfter").decimalValue().toPlainString() + " "
                    + (e.get("reason").isNull() ? "null" : e.get("reason").asText()) + " undone="
                    + e.get("undone").asBoolean();
            return e.get("undoesSequenceNumber").isNull() ? text : text + " undoes=" + e.get("undoesSequenceNumber").asLong();
        }).toList();
    }

    /** "name=score:rank" per listed participant. */
    private static List<String> standings(JsonNode answer) {
        return StreamSupport.stream(answer.get("participants").spliterator(), false)
                .map(p -> p.get("name").asText() + "=" + p.get("score").decimalValue().toPlainString() + ":"
                        + p.get("rank").asLong())
                .toList();
    }
}
