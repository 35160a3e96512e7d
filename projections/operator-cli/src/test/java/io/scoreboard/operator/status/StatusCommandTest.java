package io.scoreboard.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.operator.Cli;
import io.scoreboard.operator.Installation;
import io.scoreboard.operator.cli.ExitCode;
import io.scoreboard.projections.BoardEvents;
import io.scoreboard.testsupport.TestDatabases;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StatusCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Installation installation;
    private List<EventEnvelope> replicated;

    /** Two boards, 5 events, all in the topic and projected; then one more event stored and not replicated. */
    @BeforeEach
    void anInstallation() throws Exception {
        installation = Installation.create(TestDatabases.ENVIRONMENT);
        BoardEvents quiz = new BoardEvents();
        BoardEvents darts = new BoardEvents();
        replicated = installation.append(quiz.created("Quiz", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD),
                quiz.added("Ann"), darts.created("Darts", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD),
                quiz.scoreSet("Ann", "3"), darts.added("Bob"));
        installation.project();
        installation.replicatorToken(replicated.get(4).position());
        installation.store(quiz.scoreSet("Ann", "4"));
    }

    @AfterEach
    void drop() {
        installation.close();
    }

    @Test
    void showsPositionsCountsAndLagOfEveryPart() throws Exception {
        installation.append(new BoardEvents().created("Chess", ScoreOrder.LOWEST_FIRST, Ranking.DENSE)); // not projected

        Cli.Result result = Cli.run(installation.command("status", "--json"));

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.OK.status());
        JsonNode json = JSON.readTree(result.out());
        JsonNode store = json.path("eventStore");
        assertThat(store.path("state").asText()).isEqualTo("ok");
        assertThat(store.path("events").asLong()).isEqualTo(7);
        assertThat(store.path("boards").asLong()).isEqualTo(3);
        JsonNode replication = store.path("replication");
        assertThat(replication.path("replicatedPosition").asLong()).isEqualTo(replicated.get(4).position());
        assertThat(replication.path("lagEvents").asLong()).as("the unreplicated event and the one after the token")
                .isEqualTo(2);
        JsonNode topic = json.path("topic");
        assertThat(topic.path("exists").asBoolean()).isTrue();
        assertThat(topic.path("records").asLong()).isEqualTo(6);
        assertThat(topic.path("partitions").size()).isEqualTo(Installation.PARTITIONS);
        JsonNode projection = json.path("projections").path("value").get(0);
        assertThat(projection.path("name").asText()).isEqualTo("scoreboard");
        assertThat(projection.path("lag").asLong()).isEqualTo(1);
        assertThat(projection.path("appliedPosition").asLong()).isEqualTo(replicated.get(4).position());
    }

    @Test
    void forPeople_aCompactTable() {
        Cli.Result result = Cli.run(installation.command("status"));

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.OK.status());
        assertThat(result.out()).contains("event store").contains("events 6   boards 2")
                .contains("replication").contains("replicated to " + replicated.get(4).position() + "   lag 1 events")
                .contains("topic").contains("3 partitions   records 5")
                .contains("projection").contains("lag 0 records");
    }

    @Test
    void aDeletedTopicAndAnEmptyReadModel_areShownAsStates() throws Exception {
        try (var admin = Installation.admin()) {
            admin.deleteTopics(List.of(installation.topic)).all().get();
        }
        installation.onReadModel("DELETE FROM projection_checkpoints");

        Cli.Result result = Cli.run(installation.command("status"));

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.OK.status());
        assertThat(result.out()).contains("MISSING: the topic does not exist").contains("./scoreboard republish")
                .contains("no checkpoints").contains("events 6");
    }

    @Test
    void anUnreachableReadDatabase_isMarked_andTheRestStillShown() {
        String[] args = Installation.with(installation.command("status"), "--read-url",
                installation.databases.server().jdbcUrl(installation.databases.readDatabase() + "_gone"));

        Cli.Result result = Cli.run(args);

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.UNREACHABLE.status());
        assertThat(result.out()).contains("UNREACHABLE: the read database " + installation.databases.readDatabase()
                        + "_gone does not exist")
                .contains("events 6").contains("3 partitions");
    }
}
