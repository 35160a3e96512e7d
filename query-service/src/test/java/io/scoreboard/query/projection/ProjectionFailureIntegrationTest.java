package io.scoreboard.query.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.projections.BoardEvents;
import io.scoreboard.query.QueryTestApplication;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** An event the projection cannot apply stops the runner loudly; nothing after it is applied or skipped past. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class ProjectionFailureIntegrationTest {

    private static final QueryTestApplication app = new QueryTestApplication("query-failure").createTopic();

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
    void aFailingEvent_stopsTheRunner_healthDownNamingTheEvent() throws Exception {
        BoardEvents board = new BoardEvents();
        EventEnvelope created = board.created("Broken", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD);
        board.added("Ann"); // lost: never published
        EventEnvelope orphan = board.scoreSet("Ann", "1");
        app.topic().publish(created, orphan);

        await().atMost(Duration.ofSeconds(30)).until(() -> http.getForEntity("/actuator/health", String.class)
                .getStatusCode() == HttpStatus.SERVICE_UNAVAILABLE);
        ResponseEntity<String> health = http.getForEntity("/actuator/health", String.class);
        JsonNode projection = new ObjectMapper().readTree(health.getBody()).at("/components/projection");
        assertThat(projection.get("status").asText()).isEqualTo("DOWN");
        assertThat(projection.at("/details/state").asText()).isEqualTo("FAILED");
        assertThat(projection.at("/details/reason").asText())
                .contains(orphan.eventId().toString())
                .contains("expected sequence 1");

        // Stopped, not skipping: a valid event published afterwards (any board, any partition) stays unapplied.
        BoardEvents other = new BoardEvents();
        app.topic().publish(other.created("After the failure", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD));
        Thread.sleep(1_000);
        try (Connection c = app.connectToReadDatabase(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM scoreboards WHERE scoreboard_id = '" + other.id() + "'")) {
            rs.next();
            assertThat(rs.getLong(1)).as("events applied after the failure").isZero();
        }
    }
}
