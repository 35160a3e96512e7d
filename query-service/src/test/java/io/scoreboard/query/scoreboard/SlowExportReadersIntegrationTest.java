package io.scoreboard.query.scoreboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.projections.BoardEvents;
import com.zaxxer.hikari.HikariDataSource;
import io.scoreboard.query.QueryTestApplication;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Clients that start a history export and never read it keep its request thread, but no pooled
 * connection and no open transaction (docs/adr/0025: a snapshot held open would stop PostgreSQL from
 * pruning every row the projection updates meanwhile). More of them than the requests' pool has
 * connections must neither stop the projection nor any other read.
 */
class SlowExportReadersIntegrationTest {

    private static final int POOL_SIZE = 4;
    private static final int SLOW_READERS = POOL_SIZE + 2;
    private static final int PARTICIPANTS = 300;
    /** 300 × 250 rows of ~125 bytes: ~9 MB, well past what the sockets' buffers (4 MB at most) take. */
    private static final int ROUNDS = 250;

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void slowExportReaders_beyondThePoolSize_starveNeitherTheProjectionNorOtherReads() throws Exception {
        try (QueryTestApplication app = new QueryTestApplication("query-slowexports").createTopic();
             ConfigurableApplicationContext service = app.start(Map.of(
                     "spring.datasource.hikari.maximum-pool-size", Integer.toString(POOL_SIZE),
                     "scoreboard.query.exports.max-concurrent", "2"))) {
            int port = ((WebServerApplicationContext) service).getWebServer().getPort();
            BoardEvents board = longHistory(app);
            long version = PARTICIPANTS + ROUNDS;

            List<Socket> slowReaders = new ArrayList<>();
            try {
                for (int i = 0; i < SLOW_READERS; i++) {
                    slowReaders.add(startExportAndNeverRead(port, board.id()));
                }
                // The exports that got going are blocked writing to clients that do not read, and hold no
                // connection of the requests' pool and no transaction in the read database.
                ExportSlots slots = service.getBean(ExportSlots.class);
                HikariDataSource requests = service.getBean(HikariDataSource.class);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() ->
                        slots.active() == 2 && exportsReading(app) == 0
                                && requests.getHikariPoolMXBean().getActiveConnections() == 0);
                Thread.sleep(1_000); // stalled for good: the clients never read
                assertThat(slots.active()).isEqualTo(2);
                assertThat(requests.getHikariPoolMXBean().getActiveConnections()).isZero();
                assertThat(exportsReading(app) + exportsInATransaction(app)).isZero();

                // A score change made through Kafka still reaches the read model …
                app.topic().publish(board.scoreSet("P0", "1"));
                awaitVersion(app, board.id(), version + 1, Duration.ofSeconds(60));

                // … a normal board read still answers …
                HttpResponse<String> read = get(port, "/api/v1/scoreboards/" + board.id() + "/leaderboard?limit=1");
                assertThat(read.statusCode()).isEqualTo(200);
                assertThat(read.body()).contains("\"version\":" + (version + 1));

                // … and one more export is refused at once, saying why and when to come back.
                HttpResponse<String> refused = get(port, "/api/v1/scoreboards/" + board.id() + "/history/export.csv");
                assertThat(refused.statusCode()).isEqualTo(503);
                assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                        type -> assertThat(type).startsWith("application/problem+json"));
                assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
                JsonNode problem = new ObjectMapper().readTree(refused.body());
                assertThat(problem.get("code").asText()).isEqualTo("EXPORTS_BUSY");
                assertThat(problem.get("type").asText()).isEqualTo("urn:scoreboard:problem:exports-busy");
                assertThat(problem.get("detail").asText()).contains("scoreboard.query.exports.max-concurrent");
            } finally {
                for (Socket socket : slowReaders) {
                    socket.close();
                }
            }
        }
    }

    /** A board whose history export is far larger than the sockets' buffers: an unread export stalls. */
    private static BoardEvents longHistory(QueryTestApplication app) throws Exception {
        BoardEvents board = new BoardEvents();
        List<EventEnvelope> history = new ArrayList<>();
        history.add(board.created("Long history", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD));
        for (int p = 0; p < PARTICIPANTS; p++) {
            history.add(board.added("P" + p));
        }
        for (int r = 1; r <= ROUNDS; r++) {
            String[] scores = new String[PARTICIPANTS];
            for (int p = 0; p < PARTICIPANTS; p++) {
                scores[p] = "P" + p + "=" + (r * 10 + p % 7);
            }
            history.add(board.round("Round " + r, scores));
        }
        app.topic().publish(history.toArray(EventEnvelope[]::new));
        awaitVersion(app, board.id(), PARTICIPANTS + ROUNDS, Duration.ofMinutes(3));
        return board;
    }

    @Test
    void oneAddressOfSlowReaders_holdsAtMostItsShareOfTheExports_anotherAddressStillExports() throws Exception {
        try (QueryTestApplication app = new QueryTestApplication("query-exportshare").createTopic();
             ConfigurableApplicationContext service = app.start(Map.of(
                     "scoreboard.rate-limits.enabled", "true",
                     "scoreboard.rate-limits.trusted-proxies", "127.0.0.1",
                     "scoreboard.rate-limits.exports-per-client", "2",
                     "scoreboard.query.exports.max-concurrent", "3"))) {
            int port = ((WebServerApplicationContext) service).getWebServer().getPort();
            BoardEvents board = longHistory(app);
            ExportSlots slots = service.getBean(ExportSlots.class);
            List<Socket> slowReaders = new ArrayList<>();
            try {
                slowReaders.add(startExportAndNeverRead(port, board.id(), "198.51.100.9"));
                slowReaders.add(startExportAndNeverRead(port, board.id(), "198.51.100.9"));
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                        .until(() -> slots.active() == 2);

                HttpResponse<String> third = get(port, "/api/v1/scoreboards/" + board.id() + "/history/export.csv",
                        "198.51.100.9");
                assertThat(third.statusCode()).isEqualTo(429);
                assertThat(third.headers().firstValue("Retry-After")).hasValue("1");
                JsonNode problem = new ObjectMapper().readTree(third.body());
                assertThat(problem.get("code").asText()).isEqualTo("RATE_LIMITED");
                assertThat(problem.get("detail").asText()).contains("scoreboard.rate-limits.exports-per-client");

                // Another address gets the place that is left, and its export is whole.
                HttpResponse<String> other = get(port, "/api/v1/scoreboards/" + board.id() + "/history/export.csv",
                        "192.0.2.9");
                assertThat(other.statusCode()).isEqualTo(200);
                assertThat(other.body().lines().count()).as("header and one row per change")
                        .isEqualTo(1L + (long) PARTICIPANTS * ROUNDS);
            } finally {
                for (Socket socket : slowReaders) {
                    socket.close();
                }
            }
            // The places come back when the slow readers go away.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> slots.active() == 0);
        }
    }

    /** Sends the request over a socket with a tiny receive window and never reads a byte of the answer. */
    private static Socket startExportAndNeverRead(int port, UUID board) throws Exception {
        return startExportAndNeverRead(port, board, null);
    }

    private static Socket startExportAndNeverRead(int port, UUID board, String forwardedFor) throws Exception {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET /api/v1/scoreboards/" + board + "/history/export.csv HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + (forwardedFor == null ? "" : "X-Forwarded-For: " + forwardedFor + "\r\n")
                + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    /** Sessions of the read database running a history export's statement now. */
    private static long exportsReading(QueryTestApplication app) throws SQLException {
        return exportSessions(app, "state = 'active'");
    }

    /**
     * Sessions of the read database idle inside a transaction for over a second whose last statement was a
     * history export's (each chunk is a transaction of its own, idle only between its rows and its commit).
     */
    private static long exportsInATransaction(QueryTestApplication app) throws SQLException {
        return exportSessions(app, "state LIKE 'idle in transaction%' "
                + "AND clock_timestamp() - state_change > interval '1 second'");
    }

    private static long exportSessions(QueryTestApplication app, String condition) throws SQLException {
        try (Connection c = app.connectToReadDatabase();
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM pg_stat_activity "
                     + "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                     + "AND query LIKE '%score history export%' AND " + condition)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(int port, String path, String forwardedFor) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("X-Forwarded-For", forwardedFor).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitVersion(QueryTestApplication app, UUID board, long version, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(200))
                .until(() -> version(app, board) >= version);
    }

    private static long version(QueryTestApplication app, UUID board) throws SQLException {
        try (Connection c = app.connectToReadDatabase();
             PreparedStatement p = c.prepareStatement("SELECT version FROM scoreboards WHERE scoreboard_id = ?")) {
            p.setObject(1, board);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }
}
