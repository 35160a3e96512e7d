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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A flood of {@code minPosition} reads costs the broker one look at the topic's end for all of them,
 * and no more than {@code scoreboard.query.max-waiting-reads} of them wait at once. Looks are counted
 * at the {@link EndOffsetReader} seam, and the first one is held open, so every read of the flood
 * arrives while it is in flight: counts, not timing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class MinPositionFloodIntegrationTest {

    private static final int FLOOD = 40;

    private static final QueryTestApplication app = new QueryTestApplication("query-flood").createTopic();

    @Autowired
    private TestRestTemplate http;
    @LocalServerPort
    private int port;
    @Autowired
    private GatedReader looks;
    @Autowired
    private ProjectionProgress progress;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        app.properties().forEach((key, value) -> registry.add(key, () -> value));
        registry.add("scoreboard.query.max-waiting-reads", () -> Integer.toString(FLOOD));
        registry.add("scoreboard.query.min-position-timeout", () -> "30s"); // room for the flood to gather
    }

    @AfterAll
    static void tearDown(@Autowired ProjectionRunner runner) {
        runner.stop(Duration.ofSeconds(10));
        app.close();
    }

    @TestConfiguration
    static class CountedLooks {
        @Bean
        @Primary
        GatedReader gatedReader(Admin admin, QueryKafkaProperties kafka) {
            return new GatedReader(EndOffsetReader.of(admin, kafka.topic()));
        }
    }

    /** Counts the looks at the topic's end; holds the first one after {@link #holdNext} until released. */
    static final class GatedReader implements EndOffsetReader {
        private final EndOffsetReader kafka;
        private final AtomicInteger calls = new AtomicInteger();
        private volatile CountDownLatch gate;

        GatedReader(EndOffsetReader kafka) {
            this.kafka = kafka;
        }

        void holdNext() {
            gate = new CountDownLatch(1);
            calls.set(0);
        }

        void release() {
            gate.countDown();
        }

        @Override
        public Map<TopicPartition, Long> read() throws Exception {
            calls.incrementAndGet();
            CountDownLatch held = gate;
            if (held != null) {
                held.await(60, TimeUnit.SECONDS);
            }
            return kafka.read();
        }
    }

    @Test
    void aFloodOfMinPositionReads_sharesOneLookAtTheTopicsEnd_andBeyondTheBoundIsRefused() throws Exception {
        // Board "waited" stays behind position p, which another board reached: each read must look at the
        // topic's end to learn that the projection has everything up to p.
        BoardEvents waited = new BoardEvents();
        app.topic().publish(waited.created("Waited", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD));
        BoardEvents other = new BoardEvents();
        EventEnvelope created = other.created("Other", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD);
        EventEnvelope last = other.added("Ann");
        app.topic().publish(created, last);
        String url = "/api/v1/scoreboards/" + waited.id() + "?minPosition=" + last.position();
        await().atMost(Duration.ofSeconds(30)).until(() -> http.getForEntity(url, String.class)
                .getStatusCode().value() == 200);

        looks.holdNext();
        // Each on its own connection, all at once (the JDK client does not limit connections per host).
        HttpClient client = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
        for (int i = 0; i < FLOOD; i++) {
            flood.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + url)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> progress.waitingReads() == FLOOD);
        assertThat(looks.calls.get()).as("looks started while the flood waits").isEqualTo(1);

        // One more than may wait: refused at once.
        ResponseEntity<String> refused = http.getForEntity(url, String.class);
        assertThat(refused.getStatusCode().value()).isEqualTo(503);
        assertThat(refused.getHeaders().getFirst("Retry-After")).isEqualTo("1");
        JsonNode problem = new ObjectMapper().readTree(refused.getBody());
        assertThat(problem.get("code").asText()).isEqualTo("TOO_MANY_WAITING_READS");
        assertThat(problem.get("type").asText()).isEqualTo("urn:scoreboard:problem:too-many-waiting-reads");
        assertThat(problem.get("detail").asText()).contains("scoreboard.query.max-waiting-reads");

        looks.release();
        for (CompletableFuture<HttpResponse<String>> read : flood) {
            assertThat(read.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        // The held look, and one more that every read which came while it was in flight shared.
        assertThat(looks.calls.get()).as("looks at the topic's end for " + FLOOD + " reads").isLessThanOrEqualTo(2);
        assertThat(progress.waitingReads()).isZero();
    }
}
