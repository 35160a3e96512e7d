package io.scoreboard.query.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.infra.database.ReadModelSchema;
import io.scoreboard.projections.BoardEvents;
import io.scoreboard.query.QueryTestApplication;
import io.scoreboard.startup.TopicEnvironment;
import io.scoreboard.startup.TopicEnvironmentCheck;
import io.scoreboard.testsupport.TestDatabases;
import io.scoreboard.testsupport.TestKafka;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What happens to the live runner when the ground moves under it: the read model is switched by a
 * rebuild, the read model disappears for a while, the topic is deleted and recreated. In each case
 * it goes on from the right place without stopping and without skipping anything.
 */
class ReadModelChangesIntegrationTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aSwitchedReadModel_isContinuedFromItsOwnCheckpoints_andServedAtOnce() throws Exception {
        try (QueryTestApplication app = new QueryTestApplication("query-switch").createTopic();
             ConfigurableApplicationContext service = app.start()) {
            BoardEvents board = new BoardEvents();
            app.topic().publish(board.created("Switch", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD),
                    board.added("Ann"), board.scoreSet("Ann", "1"), board.scoreSet("Ann", "2"));
            awaitVersion(app, board.id(), 3);
            for (int i = 0; i < 10; i++) { // enough reads for the driver to use server-side prepared statements
                assertThat(get(service, board.id()).statusCode()).isEqualTo(200);
            }

            // A rebuild's switch, reduced to its essence: an empty model (no checkpoints) takes the live name.
            ReadModelSchema.migrate(plainReadUrl(app), app.databases().ownerRole(), app.databases().appRole().user(),
                    "read_model_next");
            asOwner(app, "ALTER SCHEMA read_model RENAME TO read_model_before; "
                    + "ALTER SCHEMA read_model_next RENAME TO read_model");
            app.topic().publish(board.scoreSet("Ann", "3"));

            // The runner finds no checkpoint in the new model, so it reads the topic from the start.
            awaitVersion(app, board.id(), 4);
            assertThat(score(app, board.id())).isEqualByComparingTo("3");
            assertThat(service.getBean(ProjectionRunner.class).status().state()).isEqualTo(RunnerStatus.State.RUNNING);
            HttpResponse<String> served = get(service, board.id());
            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(served.body()).contains("\"version\":4");
        }
    }

    @Test
    void aMissingReadModel_makesTheRunnerWait_andItResumesWhenTheModelIsBack() throws Exception {
        try (QueryTestApplication app = new QueryTestApplication("query-wait").createTopic();
             ConfigurableApplicationContext service = app.start()) {
            ProjectionRunner runner = service.getBean(ProjectionRunner.class);
            BoardEvents board = new BoardEvents();
            app.topic().publish(board.created("Wait", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD), board.added("Ann"));
            awaitVersion(app, board.id(), 1);

            asOwner(app, "ALTER SCHEMA read_model RENAME TO read_model_away");
            app.topic().publish(board.scoreSet("Ann", "5"), board.scoreSet("Ann", "6"));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> runner.status().state() == RunnerStatus.State.WAITING_FOR_DATABASE);
            assertThat(runner.status().reason()).contains("unavailable");

            asOwner(app, "ALTER SCHEMA read_model_away RENAME TO read_model");
            awaitVersion(app, board.id(), 3);
            assertThat(score(app, board.id())).isEqualByComparingTo("6");
            assertThat(runner.status().state()).isEqualTo(RunnerStatus.State.RUNNING);
        }
    }

    @Test
    void aRecreatedTopic_isReadFromItsStart_evenWhenItsEndIsBeyondTheOldCheckpoint() throws Exception {
        try (QueryTestApplication app = new QueryTestApplication("query-recreated");
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            String topic = app.topic().name();
            createSinglePartitionTopic(admin, topic);
            BoardEvents board = new BoardEvents();
            EventEnvelope created = board.created("Recreated", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD);
            EventEnvelope added = board.added("Ann");
            try (ConfigurableApplicationContext service = app.start()) {
                ProjectionRunner runner = service.getBean(ProjectionRunner.class);
                // At-least-once delivery left copies: the old checkpoint (offset 4) is past the
                // number of distinct events (2).
                app.topic().publish(created, added, added, added);
                awaitVersion(app, board.id(), 1);

                admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(30)).until(() -> !admin.listTopics().names().get().contains(topic));
                createSinglePartitionTopic(admin, topic);
                // Republished (once each), then three new events at offsets 2, 3, 4: below the old
                // checkpoint, so offsets of the old topic would skip two of them.
                app.topic().publish(created, added, board.scoreSet("Ann", "1"), board.scoreSet("Ann", "2"),
                        board.scoreSet("Ann", "3"));

                awaitVersion(app, board.id(), 4);
                assertThat(score(app, board.id())).isEqualByComparingTo("3");
                assertThat(runner.status().state()).isEqualTo(RunnerStatus.State.RUNNING);
            }
        }
    }

    /** Created and recorded as the test environment's before anything is sent, as republish does (ADR 0017). */
    private static void createSinglePartitionTopic(Admin admin, String topic) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)
                .configs(Map.of("retention.ms", "-1", "retention.bytes", "-1")))).all().get(30, TimeUnit.SECONDS);
        try (TopicEnvironmentCheck identity = TopicEnvironmentCheck.open(TestKafka.bootstrapServers(), topic,
                TopicEnvironment.Settings.SERVICE)) {
            identity.claim(TestDatabases.ENVIRONMENT);
        }
    }

    private static HttpResponse<String> get(ConfigurableApplicationContext service, UUID board) throws Exception {
        String port = service.getEnvironment().getProperty("local.server.port");
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/scoreboards/" + board))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String plainReadUrl(QueryTestApplication app) {
        return app.databases().server().jdbcUrl(app.databases().readDatabase());
    }

    private static void asOwner(QueryTestApplication app, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(plainReadUrl(app), app.databases().ownerRole().user(),
                app.databases().ownerRole().password()); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static void awaitVersion(QueryTestApplication app, UUID board, long version) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .ignoreExceptions()
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

    private static BigDecimal score(QueryTestApplication app, UUID board) throws SQLException {
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
