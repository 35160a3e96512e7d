package io.scoreboard.query.web;

import static io.scoreboard.httpedge.RawHttp.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.scoreboard.httpedge.RawHttp;
import io.scoreboard.query.QueryTestApplication;
import io.scoreboard.query.projection.ProjectionBehindException;
import io.scoreboard.query.projection.ProjectionProgress;
import io.scoreboard.query.projection.ProjectionRunner;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Reads waiting for a position that does not come (a flood of far-future {@code minPosition}): one
 * address holds at most {@code waiting-reads-per-client} of the waiting places, so another address
 * still gets one; and a waiting read does not query the read database each interval itself (the
 * checkpoints are read once for all), it looks at its own board only now and then. Counts, not
 * timing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class WaitingReadsIntegrationTest {

    private static final QueryTestApplication app = new QueryTestApplication("query-waits").createTopic();
    private static final int PER_CLIENT = 4;
    private static final long FAR_FUTURE = Long.MAX_VALUE / 2;

    @LocalServerPort
    private int port;
    @Autowired
    private ProjectionProgress progress;
    @Autowired
    private MeterRegistry meters;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        app.registerWithoutTheRateLimitSwitch(registry);
        registry.add("scoreboard.rate-limits.trusted-proxies", () -> "127.0.0.1");
        registry.add("scoreboard.rate-limits.expensive-reads-per-client.rate", () -> "1000");
        registry.add("scoreboard.rate-limits.expensive-reads-per-client.burst", () -> "1000");
        registry.add("scoreboard.rate-limits.waiting-reads-per-client", () -> Integer.toString(PER_CLIENT));
        registry.add("scoreboard.query.min-position-timeout", () -> "4s");
        registry.add("scoreboard.query.check-interval", () -> "15ms");
    }

    @AfterAll
    static void tearDown(@Autowired ProjectionRunner runner) {
        runner.stop(Duration.ofSeconds(10));
        app.close();
    }

    private long topicEndLooks() {
        return (long) meters.get("scoreboard.query.waiting.looks").tag("source", "topic-end").functionCounter().count();
    }

    private CompletableFuture<RawHttp.Response> farFutureRead(String address) {
        String target = "/api/v1/scoreboards/" + UUID.randomUUID() + "?minPosition=" + FAR_FUTURE;
        return CompletableFuture.supplyAsync(() -> RawHttp.get(port, target, "X-Forwarded-For: " + address));
    }

    @Test
    void oneAddressHoldsAtMostItsShareOfTheWaitingPlaces_anotherStillWaits() throws Exception {
        List<CompletableFuture<RawHttp.Response>> flood = new ArrayList<>();
        for (int i = 0; i < PER_CLIENT; i++) {
            flood.add(farFutureRead("198.51.100.7"));
        }
        await().atMost(Duration.ofSeconds(3)).until(() -> progress.waitingReads() == PER_CLIENT);

        RawHttp.Response refused = farFutureRead("198.51.100.7").get(30, TimeUnit.SECONDS);
        assertThat(assertProblem(refused, 429, "RATE_LIMITED").path("detail").asText())
                .contains("scoreboard.rate-limits.waiting-reads-per-client");
        assertThat(refused.header("Retry-After")).isEqualTo("1");

        CompletableFuture<RawHttp.Response> other = farFutureRead("192.0.2.7");
        for (CompletableFuture<RawHttp.Response> read : flood) {
            assertProblem(read.get(30, TimeUnit.SECONDS), 503, "PROJECTION_BEHIND");
        }
        assertProblem(other.get(30, TimeUnit.SECONDS), 503, "PROJECTION_BEHIND");
        assertThat(progress.waitingReads()).isZero();
    }

    @Test
    void waitingReads_shareTheCheckpointReadings_andSeldomLookAtTheirOwnBoard() throws Exception {
        int waiters = 8;
        long topicEndLooksBefore = topicEndLooks();
        List<AtomicInteger> ownLooks = new ArrayList<>();
        List<CompletableFuture<Void>> waits = new ArrayList<>();
        for (int i = 0; i < waiters; i++) {
            AtomicInteger looks = new AtomicInteger();
            ownLooks.add(looks);
            waits.add(CompletableFuture.runAsync(() -> assertThatThrownBy(() -> progress.awaitMinPosition(FAR_FUTURE,
                    connection -> {
                        looks.incrementAndGet();
                        return false;
                    })).isInstanceOf(ProjectionBehindException.class)));
            Thread.sleep(12); // spread over one refresh interval, as a flood's waits are: no two due together
        }
        CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        // A 4 s wait re-read every 15 ms would look ~270 times; at most once every 250 ms (plus the first) is ~17.
        for (AtomicInteger looks : ownLooks) {
            assertThat(looks.get()).isBetween(1, 25);
        }
        // The topic (empty: every wait is caught up) is asked for its end once per 100 ms for all waits together,
        // plus each wait's first look: ~50 in 4 s. Each wait asking for its own fresh look was up to 160 (one per
        // end-offsets-interval, 25 ms).
        assertThat(topicEndLooks() - topicEndLooksBefore).isBetween(1L, 80L);
    }
}
