package io.scoreboard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WrkLoadTest {

    @Test
    void theScriptsLine_isReadAsARunsFigures_failuresApart() {
        String output = """
                Running 40s test @ http://127.0.0.1:8081
                  2 threads and 64 connections
                SCOREBOARD_WRK requests=40100 duration_us=40000000 non2xx=100 socket=3 p50_us=12000 p95_us=30000 \
                p99_us=45000 p999_us=80000 max_us=120000
                """;

        LatencySummary s = WrkLoad.parse(output);

        assertThat(s.count()).isEqualTo(40_000);
        assertThat(s.errors()).isEqualTo(103);
        assertThat(s.seconds()).isEqualTo(40.0);
        assertThat(s.perSecond()).isEqualTo(1_000.0);
        assertThat(s.p50Millis()).isEqualTo(12.0);
        assertThat(s.p99Millis()).isEqualTo(45.0);
        assertThat(s.maxMillis()).isEqualTo(120.0);
    }

    @Test
    void withoutTheScriptsLine_theRunIsAFailure_showingWhatWrkSaid() {
        assertThatThrownBy(() -> WrkLoad.parse("unable to connect to 127.0.0.1:1 Connection refused"))
                .hasMessageContaining("Connection refused");
    }

    @Test
    void theScript_holdsEveryBoardsPathTokenAndParticipants(@TempDir Path dir) throws Exception {
        WrkLoad.scoreChanges(List.of(new WrkLoad.Target("/api/v1/scoreboards/b1/participants/", "Bearer t1",
                new String[] {"p1", "p2"})), dir);

        try (var files = Files.list(dir)) {
            String script = Files.readString(files.findFirst().orElseThrow());
            assertThat(script).contains("{\"/api/v1/scoreboards/b1/participants/\",\"Bearer t1\",{\"p1\",\"p2\"}},")
                    .contains("function request()").contains("function done(summary, latency, requests)");
        }
    }
}
