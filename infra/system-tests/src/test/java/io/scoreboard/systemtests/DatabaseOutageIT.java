package io.scoreboard.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoreboard.testsupport.TcpProxy;
import io.scoreboard.testsupport.TestPostgres;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL unreachable (the connection cut between the command service and a running server):
 * writes answer 503 within seconds instead of hanging, and the service recovers by itself.
 */
class DatabaseOutageIT {

    private static TcpProxy proxy;
    private static RunningSystem system;

    @BeforeAll
    static void start() {
        var server = TestPostgres.server();
        proxy = TcpProxy.to(server.host(), server.port());
        system = RunningSystem.start("DatabaseOutageIT", databases -> List.of(
                "--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + databases.eventsDatabase(),
                "--scoreboard.replication.ack-timeout=2s"));
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.restore();
        }
        if (system != null) {
            system.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void writesAnswer503QuicklyWhileTheDatabaseIsUnreachable_andRecoverByThemselves() throws Exception {
        JsonNode created = Http.post(system.commandUri("/api/v1/scoreboards"),
                "{\"name\":\"Outage\",\"participants\":[\"Ann\"]}").json();
        URI score = system.commandUri("/api/v1/scoreboards/" + created.get("scoreboardId").asText()
                + "/participants/" + created.get("participants").get(0).get("participantId").asText() + "/score-changes");
        String admin = "Bearer " + created.get("adminToken").asText();
        List<Long> acknowledged = new ArrayList<>(List.of(created.get("position").asLong()));

        proxy.cut();
        try {
            for (int i = 0; i < 3; i++) {
                long started = System.nanoTime();
                Http.Response refused = Http.post(score, "{\"delta\":1}", "Authorization", admin);
                long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
                assertThat(refused.status()).as(refused.body()).isEqualTo(503);
                assertThat(refused.header("Retry-After")).isNotBlank();
                assertThat(refused.json().get("type").asText()).isEqualTo("urn:scoreboard:problem:store-unavailable");
                assertThat(millis).as("answered instead of hanging").isLessThan(15_000);
                System.out.printf("write while PostgreSQL is unreachable: 503 after %d ms%n", millis);
            }
        } finally {
            proxy.restore();
        }

        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Http.Response after;
        do {
            after = Http.post(score, "{\"delta\":1}", "Authorization", admin);
        } while (after.status() != 200 && System.nanoTime() < deadline);
        assertThat(after.status()).as("recovered by itself: " + after.body()).isEqualTo(200);
        acknowledged.add(after.json().get("position").asLong());
        assertThat(Http.get(system.commandUri("/actuator/health")).status()).isEqualTo(200);

        TwoStores.assertSameEvents(system, acknowledged);
    }
}
