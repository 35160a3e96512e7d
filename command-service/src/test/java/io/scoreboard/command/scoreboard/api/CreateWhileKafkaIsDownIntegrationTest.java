package io.scoreboard.command.scoreboard.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoreboard.command.RunningCommandService;
import io.scoreboard.command.RunningCommandService.Response;
import io.scoreboard.infra.localstack.EmbeddedKafka;
import io.scoreboard.testsupport.TestKafka;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A create that is stored while Kafka does not acknowledge it: 202 with the whole create body, tokens
 * included, so the client never loses them; the tokens work once Kafka is back. Other writes keep
 * their 503 (they hold no secret; a retry with the key returns their answer).
 */
class CreateWhileKafkaIsDownIntegrationTest {

    private static EmbeddedKafka kafka;
    private static RunningCommandService service;

    @BeforeAll
    static void start() {
        kafka = TestKafka.embedded().orElse(null);
        Assumptions.assumeTrue(kafka != null, "needs the embedded broker, to stop and start it");
        service = new RunningCommandService("--scoreboard.replication.ack-timeout=1s");
    }

    @AfterAll
    static void stop() {
        if (kafka != null && !kafka.isRunning()) {
            kafka.restart();
        }
        if (service != null) {
            service.close();
        }
    }

    @Test
    void aCreateNotYetAcknowledged_answers202WithItsTokens_whichWorkOnceKafkaIsBack() {
        Response before = untilNot503(() -> service.post("", "{\"name\":\"Before\",\"participants\":[\"Ann\"]}",
                "Idempotency-Key", UUID.randomUUID().toString()), 201);
        String beforeBoard = before.json().get("scoreboardId").asText();
        String beforeKeeper = "Bearer " + before.json().get("scorekeeperToken").asText();
        String beforeAnn = before.json().get("participants").get(0).get("participantId").asText();

        String key = UUID.randomUUID().toString();
        Response pending;
        kafka.stop();
        try {
            pending = service.post("", "{\"name\":\"Pending\",\"participants\":[\"Ann\",\"Bob\"]}",
                    "Idempotency-Key", key);
            Response otherWrite = service.post("/" + beforeBoard + "/participants/" + beforeAnn + "/score-changes",
                    "{\"delta\":1}", "Authorization", beforeKeeper);
            assertThat(otherWrite.status()).as("a score change keeps its 503: " + otherWrite.body()).isEqualTo(503);
            Response replayWhilePending = service.post("", "{\"name\":\"Pending\",\"participants\":[\"Ann\",\"Bob\"]}",
                    "Idempotency-Key", key);
            assertThat(replayWhilePending.status()).as(replayWhilePending.body()).isEqualTo(202);
            assertThat(replayWhilePending.header("Idempotent-Replayed")).isEqualTo("true");
            assertThat(replayWhilePending.json()).isEqualTo(pending.json());
        } finally {
            kafka.restart();
        }

        assertThat(pending.status()).as(pending.body()).isEqualTo(202);
        JsonNode body = pending.json();
        assertThat(body.get("replication").asText()).isEqualTo("pending");
        String board = body.get("scoreboardId").asText();
        assertThat(pending.header("Location")).isEqualTo("/api/v1/scoreboards/" + board);
        assertThat(pending.header("ETag")).isEqualTo("\"2\"");
        assertThat(body.get("adminToken").asText()).startsWith("sba_");
        assertThat(body.get("scorekeeperToken").asText()).startsWith("sbs_");
        assertThat(body.get("participants")).extracting(p -> p.get("name").asText()).containsExactly("Ann", "Bob");
        assertThat(body.get("version").asLong()).isEqualTo(2);
        assertThat(body.get("position").asLong()).isPositive();

        // Once Kafka is back, the admin token from the 202 changes the board.
        String renameKey = UUID.randomUUID().toString();
        Response renamed = untilNot503(() -> service.send("PATCH", "/" + board, "{\"name\":\"Renamed\"}",
                "Authorization", "Bearer " + body.get("adminToken").asText(), "Idempotency-Key", renameKey), 200);
        assertThat(renamed.json().get("version").asLong()).isEqualTo(3);

        // And a retry of the create now gets the normal answer, with the same tokens.
        Response replayed = service.post("", "{\"name\":\"Pending\",\"participants\":[\"Ann\",\"Bob\"]}",
                "Idempotency-Key", key);
        assertThat(replayed.status()).as(replayed.body()).isEqualTo(201);
        assertThat(replayed.json().get("adminToken")).isEqualTo(body.get("adminToken"));
        assertThat(replayed.json().has("replication")).isFalse();
    }

    /** Kafka may take a while to acknowledge after a (re)start: the same request (same key) until it is not 503/202. */
    private static Response untilNot503(java.util.function.Supplier<Response> request, int expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        Response response = request.get();
        while ((response.status() == 503 || response.status() == 202) && System.nanoTime() < deadline) {
            response = request.get();
        }
        assertThat(response.status()).as(response.body()).isEqualTo(expected);
        return response;
    }
}
