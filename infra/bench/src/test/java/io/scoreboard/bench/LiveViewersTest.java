package io.scoreboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The pure parts of the live benchmark's client and report: the data's position and version, Prometheus text. */
class LiveViewersTest {

    @Test
    void positionAndVersion_areReadAtTheTopLevelOnly() throws Exception {
        String change = "{\"position\":1051,\"version\":8,\"type\":\"ScoreChanged\",\"participants\":[{\"participantId\":"
                + "\"p\",\"name\":\"\\\"version\\\":99\",\"score\":14,\"rank\":1,\"teamId\":null,\"version\":5}]}";
        String snapshot = "{\"scoreboardId\":\"b\",\"participants\":[{\"position\":3}],\"version\":7,\"position\":1042}";

        assertThat(LiveViewers.positionAndVersion(change)).containsExactly(1051, 8);
        assertThat(LiveViewers.positionAndVersion(snapshot)).containsExactly(1042, 7);
        assertThat(LiveViewers.positionAndVersion("{\"type\":\"x\"}")).containsExactly(-1, -1);
    }

    @Test
    void theEndOfTheHeader_isFound() {
        byte[] bytes = "HTTP/1.1 200 \r\nA: b\r\n\r\nretry".getBytes(StandardCharsets.US_ASCII);

        assertThat(LiveViewers.indexOf(bytes, bytes.length, new byte[] {'\r', '\n', '\r', '\n'})).isEqualTo(19);
        assertThat(LiveViewers.indexOf(bytes, 10, new byte[] {'\r', '\n', '\r', '\n'})).isEqualTo(-1);
    }

    @Test
    void prometheusSamples_areSummedByNameAndLabel() {
        String text = """
                # HELP scoreboard_live_ended_total live streams ended
                # TYPE scoreboard_live_ended_total counter
                scoreboard_live_ended_total{application="query-service",reason="slow",} 2.0
                scoreboard_live_ended_total{application="query-service",reason="client_gone",} 5.0
                scoreboard_live_push_latency_seconds{application="query-service",quantile="0.99",} 0.012
                scoreboard_live_push_latency_seconds_count{application="query-service",} 40.0
                scoreboard_live_streams 2000.0
                """;

        assertThat(LiveBenchmark.metric(text, "scoreboard_live_ended_total", "reason=\"slow\"")).isEqualTo(2.0);
        assertThat(LiveBenchmark.metric(text, "scoreboard_live_ended_total", null)).isEqualTo(7.0);
        assertThat(LiveBenchmark.metric(text, "scoreboard_live_push_latency_seconds", "quantile=\"0.99\""))
                .isEqualTo(0.012);
        assertThat(LiveBenchmark.metric(text, "scoreboard_live_push_latency_seconds", null)).isEqualTo(0.012);
        assertThat(LiveBenchmark.metric(text, "scoreboard_live_streams", null)).isEqualTo(2000.0);
        assertThat(LiveBenchmark.metric(text, "scoreboard_live_changes_total", null)).isNaN();
    }
}
