package io.scoreboard.query.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.ParticipantAddedEvent;
import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.projections.BoardEvents;
import io.scoreboard.query.QueryTestApplication;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A row the projection queued and sent together with other events' rows breaks a data rule: the
 * database does not say whose row it was, so the runner applies the events again one at a time,
 * and stops naming the event that breaks it, not the one applied when the rows went out.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class QueuedRowFailureIntegrationTest {

    private static final QueryTestApplication app = new QueryTestApplication("query-queued-failure").createTopic();

    @Autowired
    private TestRestTemplate http;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        app.properties().forEach((key, value) -> registry.add(key, () -> value));
    }

    @AfterAll
    static void tearDown(@Autowired ProjectionRunner runner) {
        runner.stop(Duration.ofSeconds(10)); // before its database goes; @DirtiesContext closes the rest
        app.close();
    }

    @Test
    void aQueuedRowBreakingADataRule_stopsTheRunner_namingItsOwnEvent() throws Exception {
        BoardEvents board = new BoardEvents();
        EventEnvelope created = board.created("Zero bytes", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD);
        EventEnvelope ann = board.added("Ann");
        // PostgreSQL's text holds no zero byte: the participant's row cannot be written (SQLSTATE 22...).
        EventEnvelope bad = board.next(new ParticipantAddedEvent(board.id(), UUID.randomUUID(), "Bad\u0000name"));
        EventEnvelope bob = board.added("Bob");
        app.topic().publish(created, ann, bad, bob);

        // First waited out as the database's (the rows went out together), then pinpointed and stopped.
        await().atMost(Duration.ofSeconds(60)).until(() -> projectionHealth().at("/details/state").asText()
                .equals("FAILED"));
        JsonNode projection = projectionHealth();
        assertThat(projection.get("status").asText()).isEqualTo("DOWN");
        assertThat(projection.at("/details/reason").asText())
                .contains(bad.eventId().toString())
                .doesNotContain(bob.eventId().toString())
                .contains("also on a retry");

        // Nothing of the failed batch was kept: it rolled back whole, and the runner did not skip past it.
        BoardEvents other = new BoardEvents();
        app.topic().publish(other.created("After the failure", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD));
        Thread.sleep(1_000);
        try (Connection c = app.connectToReadDatabase(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM participants WHERE scoreboard_id = '" + board.id()
                     + "' AND name = 'Bob'")) {
            rs.next();
            assertThat(rs.getLong(1)).as("the event after the bad one").isZero();
        }
        try (Connection c = app.connectToReadDatabase(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM scoreboards WHERE scoreboard_id = '" + other.id() + "'")) {
            rs.next();
            assertThat(rs.getLong(1)).as("events applied after the failure").isZero();
        }
    }

    private JsonNode projectionHealth() throws Exception {
        ResponseEntity<String> health = http.getForEntity("/actuator/health", String.class);
        return new ObjectMapper().readTree(health.getBody()).at("/components/projection");
    }
}
