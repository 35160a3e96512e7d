package io.scoreboard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WrkLoadTest {

    @Test
    void theScriptsLine_isReadAsARunsFigures_failuresApart() {
        String output = """
                Running 40s test @ http://127.0.0.1:8081
                  2 threads and 64 connections
                SCOREBOARD_WRK requests=40100 duration_us=40000000 non2xx=100 socket=3 p50_us=12000 p95_us=30000 \
                p99_us=45000 p999_us=80000 max_us=120000 paced=40164 late=401
                """;

        LatencySummary s = WrkLoad.parse(output);
        assertThat(WrkLoad.pacing(output)).isEqualTo(new WrkLoad.Pacing(40_164, 401));

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

    @Test
    void theReadsScript_holdsEveryPath(@TempDir Path dir) throws Exception {
        WrkLoad.gets(List.of("/actuator/info", "/api/v1/scoreboards/b1/leaderboard?limit=10"), dir);

        try (var files = Files.list(dir)) {
            String script = Files.readString(files.findFirst().orElseThrow());
            assertThat(script).contains("\"/actuator/info\",").contains("\"/api/v1/scoreboards/b1/leaderboard?limit=10\",")
                    .contains("wrk.format(\"GET\"").contains("function done(summary, latency, requests)");
        }
    }

    /** The generated Lua really runs in wrk: every path is asked for, and the figures line comes back. */
    @Test
    void theReadsScript_runsInWrk_againstARealServer(@TempDir Path dir) throws Exception {
        assumeTrue(onPath("wrk"), "wrk is not installed (apt-get install -y wrk; .ci/run installs it as root)");
        Set<String> asked = ConcurrentHashMap.newKeySet();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            asked.add(exchange.getRequestURI().toString());
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/missing") ? 404 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
            WrkLoad.Result ok = WrkLoad.gets(List.of("/a", "/b?x=1"), dir).measure(base, 2, Duration.ofSeconds(1));
            assertThat(ok.latencies().count()).isPositive();
            assertThat(ok.latencies().errors()).isZero();
            assertThat(asked).contains("/a", "/b?x=1");

            WrkLoad.Result missing = WrkLoad.gets(List.of("/missing"), dir).measure(base, 1, Duration.ofSeconds(1));
            assertThat(missing.latencies().errors()).as("a 404 is a failed read").isPositive();
        } finally {
            server.stop(0);
        }
    }

    /** Open loop: the requests go out at the offered rate, counted, whatever else the server does. */
    @Test
    void thePacedScript_sendsAtTheOfferedRate_andCountsItsSends(@TempDir Path dir) throws Exception {
        assumeTrue(onPath("wrk"), "wrk is not installed (apt-get install -y wrk; .ci/run installs it as root)");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
            WrkLoad.Result paced = WrkLoad.gets(List.of("/a"), dir, 200).measure(base, 20, Duration.ofSeconds(3));

            // 200/s over 3 s, on 20 mostly idle connections: about 600, not the thousands a closed loop sends
            assertThat(paced.latencies().count()).isBetween(400L, 800L);
            assertThat(paced.pacing().sent()).isGreaterThanOrEqualTo(paced.latencies().count());
            assertThat(paced.pacing().lateShare()).isLessThan(0.5);
            assertThat(WrkLoad.gets(List.of("/a"), dir).measure(base, 2, Duration.ofSeconds(1)).pacing().sent())
                    .as("closed loop").isZero();
        } finally {
            server.stop(0);
        }
    }

    private static boolean onPath(String program) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(directory, program))) {
                return true;
            }
        }
        return false;
    }
}
