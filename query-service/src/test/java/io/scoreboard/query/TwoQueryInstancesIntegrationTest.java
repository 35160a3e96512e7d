package io.scoreboard.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.projections.BoardEvents;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two query-service instances on one read database and one topic, as a cluster runs them (issue 15): they share
 * the topic's partitions as one consumer group, a client reading through either with {@code minPosition} sees its
 * write, and neither answers a board from the version it last applied once another instance applies that board
 * (the in-memory versions of ADR 0028 are forgotten when partitions move).
 */
class TwoQueryInstancesIntegrationTest {

    private static final QueryTestApplication app = new QueryTestApplication("query-two").createTopic();
    private static final HttpClient http = HttpClient.newHttpClient();
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @AfterAll
    static void tearDown() {
        app.close();
    }

    @Test
    void twoInstancesShareThePartitions_andNeitherAnswersABoardFromAnOldVersion() throws Exception {
        List<BoardEvents> boards = new ArrayList<>();
        for (int i = 0; i < 12; i++) { // spread over the three partitions by their keys
            BoardEvents board = new BoardEvents();
            boards.add(board);
            app.topic().publish(board.created("Board " + i, ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD),
                    board.added("Ann"), board.added("Bob"), board.scoreSet("Ann", "1"));
        }
        try (ConfigurableApplicationContext first = app.start()) {
            // The first instance alone applies every board and reads each from memory afterwards.
            for (BoardEvents board : boards) {
                assertThat(awaitVersion(first, board, 3)).isEqualTo(3);
            }
            try (ConfigurableApplicationContext second = app.start()) {
                app.awaitInstancesHavePartitions(2, PATIENCE);
                // Every board moves on; half of them are now the second instance's to apply.
                long last = 0;
                for (BoardEvents board : boards) {
                    EventEnvelope change = board.scoreSet("Bob", "5");
                    app.topic().publish(change);
                    last = Math.max(last, change.position());
                }
                // Once the database holds the change, neither answers from the version the first instance applied
                // before the rebalance (read without minPosition: the answer may come from memory).
                for (BoardEvents board : boards) {
                    await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> storedVersion(board) >= 4);
                }
                for (BoardEvents board : boards) {
                    HttpResponse<String> viaFirst = leaderboard(first, board, null);
                    HttpResponse<String> viaSecond = leaderboard(second, board, null);
                    assertThat(viaFirst.headers().firstValue("ETag")).as("board %s via the first", board.id())
                            .hasValue("\"4\"");
                    assertThat(viaSecond.headers().firstValue("ETag")).as("board %s via the second", board.id())
                            .hasValue("\"4\"");
                    assertThat(viaFirst.body()).isEqualTo(viaSecond.body());
                }
                // Read-your-writes through either instance, whoever applied the board.
                for (BoardEvents board : boards) {
                    assertThat(leaderboard(first, board, last).statusCode()).isEqualTo(200);
                    assertThat(leaderboard(second, board, last).statusCode()).isEqualTo(200);
                }
            }
            // The second instance left: the first applies every board again, and answers them as they are now.
            for (BoardEvents board : boards) {
                app.topic().publish(board.scoreSet("Ann", "9"));
            }
            for (BoardEvents board : boards) {
                assertThat(awaitVersion(first, board, 5)).isEqualTo(5);
            }
        }
    }

    /** Waits until the database holds the version, then reads the board through the instance without minPosition. */
    private static long awaitVersion(ConfigurableApplicationContext instance, BoardEvents board, long version)
            throws Exception {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> storedVersion(board) >= version);
        HttpResponse<String> answer = leaderboard(instance, board, null);
        assertThat(answer.statusCode()).isEqualTo(200);
        return Long.parseLong(answer.headers().firstValue("ETag").orElseThrow().replace("\"", ""));
    }

    private static long storedVersion(BoardEvents board) throws Exception {
        try (Connection c = app.connectToReadDatabase();
             PreparedStatement p = c.prepareStatement("SELECT version FROM scoreboards WHERE scoreboard_id = ?")) {
            p.setObject(1, board.id());
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    private static HttpResponse<String> leaderboard(ConfigurableApplicationContext instance, BoardEvents board,
                                                    Long minPosition) throws Exception {
        String port = instance.getEnvironment().getProperty("local.server.port");
        URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/scoreboards/" + board.id() + "/leaderboard"
                + (minPosition == null ? "" : "?minPosition=" + minPosition));
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

}
