package io.scoreboard.query.web;

import static io.scoreboard.httpedge.RawHttp.assertProblem;

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
 * {@code SCOREBOARD_RATE_LIMITS=off} turns every limit off: given here as a property, it is read by
 * the same placeholder in application.yml ({@code ${SCOREBOARD_RATE_LIMITS:true}}) that reads the
 * environment variable. The limits are tiny, so any limit left on would refuse the second read.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class QueryRateLimitsOffIntegrationTest {

    private static final QueryTestApplication app = new QueryTestApplication("query-limits-off").createTopic();

    @LocalServerPort
    private int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        app.registerWithoutTheRateLimitSwitch(registry);
        registry.add("SCOREBOARD_RATE_LIMITS", () -> "off");
        registry.add("scoreboard.rate-limits.expensive-reads-per-client.rate", () -> "1");
        registry.add("scoreboard.rate-limits.expensive-reads-per-client.period", () -> "1h");
        registry.add("scoreboard.rate-limits.expensive-reads-total.rate", () -> "1");
        registry.add("scoreboard.rate-limits.expensive-reads-total.period", () -> "1h");
    }

    @AfterAll
    static void tearDown(@Autowired ProjectionRunner runner) {
        runner.stop(java.time.Duration.ofSeconds(10));
        app.close();
    }

    @Test
    void noExpensiveReadIsLimited() {
        for (int i = 0; i < 10; i++) {
            assertProblem(RawHttp.get(port, "/api/v1/scoreboards/" + UUID.randomUUID() + "/export.csv"), 404,
                    "SCOREBOARD_NOT_FOUND");
        }
    }
}
