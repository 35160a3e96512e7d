package io.scoreboard.httpedge.edgeapp;

import static io.scoreboard.httpedge.RawHttp.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.scoreboard.httpedge.RawHttp;
import io.scoreboard.httpedge.RawHttp.Response;
import io.scoreboard.httpedge.ratelimit.DelayedRefusals;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A refusal is parked and answered after the pause, complete (429, Retry-After, problem+json), while
 * the service goes on answering others; when every place is taken, a refusal is answered at once.
 * Shown by the order of events, not by a clock.
 */
@SpringBootTest(classes = EdgeTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"scoreboard.rate-limits.refusal-delay=3s", "scoreboard.rate-limits.max-delayed-refusals=1"})
class DelayedRefusalsTest {

    @LocalServerPort
    private int port;

    @Autowired
    private DelayedRefusals delayedRefusals;

    @Test
    void aRefusalIsHeld_othersAreServedMeanwhile_andBeyondThePlacesARefusalIsAnsweredAtOnce() throws Exception {
        CompletableFuture<Response> parked = CompletableFuture.supplyAsync(() -> RawHttp.get(port, "/limited"));
        awaitHeld(1);
        assertThat(parked).isNotDone();

        // Held without a thread: the service still answers, and a refusal beyond the one place is sent at once.
        assertThat(RawHttp.get(port, "/things/1").status()).isEqualTo(200);
        Response atOnce = RawHttp.get(port, "/limited");
        assertThat(parked).as("the first refusal is still held when the second is answered").isNotDone();
        assertRateLimited(atOnce);

        assertRateLimited(parked.get());
        awaitHeld(0);
    }

    @Test
    void aClientThatLeavesWhileHeld_givesItsPlaceBack() throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.getOutputStream().write("GET /limited HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            awaitHeld(1);
        }
        awaitHeld(0);
        assertRateLimited(RawHttp.get(port, "/limited"));
    }

    private static void assertRateLimited(Response response) {
        assertProblem(response, 429, "RATE_LIMITED");
        assertThat(response.header("Retry-After")).isEqualTo("5");
        assertThat(response.json().path("detail").asText()).contains("test.limit");
    }

    private void awaitHeld(int expected) throws InterruptedException {
        for (int i = 0; i < 3000 && delayedRefusals.held() != expected; i++) {
            Thread.sleep(5);
        }
        assertThat(delayedRefusals.held()).isEqualTo(expected);
    }
}
