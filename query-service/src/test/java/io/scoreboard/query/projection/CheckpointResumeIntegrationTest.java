package io.scoreboard.query.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.projections.BoardEvents;
import io.scoreboard.query.QueryTestApplication;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The runner's checkpoints live in the read database: a restarted service resumes where the last
 * committed batch ended (nothing read twice, since Kafka's own group offsets are never committed),
 * and a wiped read database is rebuilt by replaying the topic from the start.
 */
class CheckpointResumeIntegrationTest {

    private static final QueryTestApplication app = new QueryTestApplication("query-resume");

    @AfterAll
    static void tearDown() {
        app.close();
    }

    @Test
    void restart_resumesFromTheStoredCheckpoint_andAWipedReadDatabaseIsReplayed() throws Exception {
        BoardEvents board = new BoardEvents();

        // Started before the command service has created the topic: the runner waits for it.
        try (ConfigurableApplicationContext first = app.start()) {
            ProjectionRunner runner = first.getBean(ProjectionRunner.class);
            Thread.sleep(500);
            assertThat(runner.isRunning()).isTrue();

            app.createTopic();
            app.topic().publish(board.created("Resume", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD),
                    board.added("Ann"), board.scoreSet("Ann", "1"), board.scoreSet("Ann", "2"));
            awaitVersion(board.id(), 3);
            assertThat(runner.appliedEventCount()).isEqualTo(4);
            assertThat(runner.duplicateEventCount()).isZero();
        }

        // Written while the service is down.
        app.topic().publish(board.scoreSet("Ann", "3"), board.scoreSet("Ann", "4"));

        try (ConfigurableApplicationContext second = app.start()) {
            ProjectionRunner runner = second.getBean(ProjectionRunner.class);
            awaitVersion(board.id(), 5);
            Thread.sleep(300); // room for anything re-read by mistake to show up in the counters
            assertThat(runner.appliedEventCount()).isEqualTo(2);
            assertThat(runner.duplicateEventCount()).as("events re-read after the restart").isZero();
        }

        // Disaster drill: the read database is dropped and re-made empty; the topic rebuilds it.
        app.databases().recreateReadDatabase();
        try (ConfigurableApplicationContext third = app.start()) {
            ProjectionRunner runner = third.getBean(ProjectionRunner.class);
            awaitVersion(board.id(), 5);
            assertThat(runner.appliedEventCount()).isEqualTo(6);
            assertThat(score(board.id())).isEqualByComparingTo("4");
        }
    }

    private static void awaitVersion(UUID board, long version) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> version(board) == version);
    }

    private static long version(UUID board) throws SQLException {
        try (Connection c = app.connectToReadDatabase();
             PreparedStatement p = c.prepareStatement("SELECT version FROM scoreboards WHERE scoreboard_id = ?")) {
            p.setObject(1, board);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    private static java.math.BigDecimal score(UUID board) throws SQLException {
        try (Connection c = app.connectToReadDatabase();
             PreparedStatement p = c.prepareStatement("SELECT score FROM participants WHERE scoreboard_id = ?")) {
            p.setObject(1, board);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getBigDecimal(1);
            }
        }
    }
}
