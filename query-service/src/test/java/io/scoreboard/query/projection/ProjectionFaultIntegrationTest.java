package io.scoreboard.query.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.infra.localstack.EmbeddedKafka;
import io.scoreboard.projections.BoardEvents;
import io.scoreboard.query.QueryTestApplication;
import io.scoreboard.testsupport.TestKafka;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Status;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Transient faults are waited out, never a reason to stop (docs/adr/0018): the runner names the fault
 * in its status while it waits and goes on by itself, without a restart, once the fault is gone.
 */
class ProjectionFaultIntegrationTest {

    @Test
    void aLockTimeout_isWaitedOut_andTheRunnerCatchesUpWhenTheLockIsReleased() throws Exception {
        try (QueryTestApplication app = new QueryTestApplication("query-locktimeout").createTopic()) {
            // Every connection of the service gives up on a lock after 300 ms (lock_timeout, SQLSTATE 55P03).
            try (ConfigurableApplicationContext service = app.start(Map.of("spring.datasource.url",
                    app.databases().readJdbcUrl() + "&options=-c%20lock_timeout%3D300"))) {
                ProjectionRunner runner = service.getBean(ProjectionRunner.class);
                BoardEvents board = new BoardEvents();
                app.topic().publish(board.created("Locked", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD),
                        board.added("Ann"));
                awaitVersion(app, board.id(), 1);

                try (Connection lock = app.connectToReadDatabase()) {
                    lock.setAutoCommit(false);
                    lockBoardRow(lock, board.id());
                    app.topic().publish(board.scoreSet("Ann", "7"));

                    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                            .until(() -> runner.status().state().name().equals("WAITING_FOR_DATABASE"));
                    assertThat(runner.status().reason()).contains("55P03");
                    lock.rollback();
                }

                awaitVersion(app, board.id(), 2);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> runner.status().state() == RunnerStatus.State.RUNNING);
            }
        }
    }

    /**
     * After a fresh read database the runner positions itself at the start of the topic, which asks Kafka.
     * With the broker down that times out; it must wait for the broker, not stop.
     */
    @Test
    void kafkaDownWhileTheRunnerPositionsItself_isWaitedOut_andItCatchesUpWhenKafkaIsBack() throws Exception {
        EmbeddedKafka kafka = TestKafka.embedded().orElse(null);
        Assumptions.assumeTrue(kafka != null, "needs the embedded broker, to stop and start it");
        try (QueryTestApplication app = new QueryTestApplication("query-kafkadown").createTopic();
             ConfigurableApplicationContext service = app.start()) {
            ProjectionRunner runner = service.getBean(ProjectionRunner.class);
            BoardEvents board = new BoardEvents();
            app.topic().publish(board.created("Positioned", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD),
                    board.added("Ann"));
            awaitVersion(app, board.id(), 1);

            // Keep the runner inside the read database (blocked on a row lock) while the broker goes away …
            try (Connection lock = app.connectToReadDatabase()) {
                lock.setAutoCommit(false);
                lockBoardRow(lock, board.id());
                app.topic().publish(board.scoreSet("Ann", "7"));
                awaitBlockedOnTheLock(app);
                kafka.stop();
                // … then take the database away from under it: a fresh one, with no checkpoints.
                app.databases().recreateReadDatabase();
            } catch (SQLException connectionDroppedWithTheDatabase) {
                // expected: the lock's connection went with the old database
            }
            try {
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                        .until(() -> runner.status().state().name().equals("WAITING_FOR_KAFKA"));
                assertThat(runner.status().reason()).containsIgnoringCase("kafka");
            } finally {
                kafka.restart();
            }

            // Read again from the start of the topic into the fresh database.
            awaitVersion(app, board.id(), 2);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> runner.status().state() == RunnerStatus.State.RUNNING);
        }
    }

    /**
     * Kafka goes away while the runner polls an idle topic: a poll then only returns nothing, and the runner
     * must not go on looking RUNNING. It shows WAITING_FOR_KAFKA with the reason (health DOWN) and, once the
     * broker is back, RUNNING again and applies what comes.
     */
    @Test
    void kafkaDownWhileTheRunnerPolls_showsAsWaitingForKafka_andItResumesWhenKafkaIsBack() throws Exception {
        EmbeddedKafka kafka = TestKafka.embedded().orElse(null);
        Assumptions.assumeTrue(kafka != null, "needs the embedded broker, to stop and start it");
        try (QueryTestApplication app = new QueryTestApplication("query-kafkagone").createTopic();
             ConfigurableApplicationContext service = app.start()) {
            ProjectionRunner runner = service.getBean(ProjectionRunner.class);
            ProjectionHealthIndicator health = service.getBean(ProjectionHealthIndicator.class);
            BoardEvents board = new BoardEvents();
            app.topic().publish(board.created("Polled", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD),
                    board.added("Ann"));
            awaitVersion(app, board.id(), 1);
            assertThat(runner.status().state()).isEqualTo(RunnerStatus.State.RUNNING);

            kafka.stop();
            try {
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                        .until(() -> runner.status().state() == RunnerStatus.State.WAITING_FOR_KAFKA);
                assertThat(runner.status().reason()).contains("Kafka does not answer", app.topic().name());
                assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
                assertThat(health.health().getDetails()).containsEntry("state", RunnerStatus.State.WAITING_FOR_KAFKA)
                        .containsKey("reason");
            } finally {
                kafka.restart();
            }

            await().atMost(Duration.ofSeconds(90)).until(() -> runner.status().state() == RunnerStatus.State.RUNNING);
            app.topic().publish(board.scoreSet("Ann", "7"));
            awaitVersion(app, board.id(), 2);
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        }
    }

    private static void lockBoardRow(Connection connection, UUID board) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement(
                "SELECT 1 FROM scoreboards WHERE scoreboard_id = ? FOR UPDATE")) {
            p.setObject(1, board);
            p.executeQuery().close();
        }
    }

    /** Some session of the app role waits for a lock: the runner applying the score change. */
    private static void awaitBlockedOnTheLock(QueryTestApplication app) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            try (Connection c = app.connectToReadDatabase();
                 ResultSet rs = c.createStatement().executeQuery(
                         "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                 + "AND wait_event_type = 'Lock'")) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        });
    }

    private static void awaitVersion(QueryTestApplication app, UUID board, long version) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> version(app, board) == version);
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
