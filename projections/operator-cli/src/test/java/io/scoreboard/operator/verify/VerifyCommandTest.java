package io.scoreboard.operator.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.events.ScoreboardRenamedEvent;
import io.scoreboard.operator.Cli;
import io.scoreboard.operator.Installation;
import io.scoreboard.operator.cli.ExitCode;
import io.scoreboard.projections.BoardEvents;
import io.scoreboard.testsupport.TestDatabases;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VerifyCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Installation installation;

    private BoardEvents quiz;

    /** Two boards of six events each, in both stores and projected into the read model. */
    @BeforeEach
    void anInstallationWithTwoBoards() throws Exception {
        installation = Installation.create(TestDatabases.ENVIRONMENT);
        for (String name : List.of("Quiz", "Darts")) {
            BoardEvents board = new BoardEvents();
            installation.append(board.created(name, ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD), board.added("Ann"),
                    board.added("Bob"), board.scoreSet("Ann", "5"), board.round("r1", "Ann=7", "Bob=2.5"), board.undo());
            quiz = quiz == null ? board : quiz;
        }
        installation.project();
    }

    @AfterEach
    void drop() {
        installation.close();
    }

    @Test
    void agreeingStores_exitZero_evenWithDuplicateCopiesInTheTopic() throws Exception {
        BoardEvents board = new BoardEvents();
        List<EventEnvelope> events = installation.append(board.created("Chess", ScoreOrder.LOWEST_FIRST, Ranking.DENSE),
                board.added("Cat"));
        installation.publish(events.get(0)); // at-least-once: a second copy after the board's later event
        installation.publish(events.get(1));

        Cli.Result result = Cli.run(installation.command("verify"));

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.OK.status());
        assertThat(result.out()).contains("14 events").contains("16 records read").contains("2 duplicate copies")
                .contains("2 boards   12 events recomputed").contains("RESULT: OK");
    }

    @Test
    void aBoardWithTeams_projectedLive_verifiesClean() throws Exception {
        installation.append(quiz.teamHistory("Ann").toArray(EventEnvelope[]::new));
        installation.project();

        Cli.Result result = Cli.run(installation.command("verify"));

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.OK.status());
        assertThat(result.out()).contains("RESULT: OK");
    }

    @Test
    void tamperedTeamRows_areReportedForTheirBoard() throws Exception {
        installation.append(quiz.teamHistory("Ann").toArray(EventEnvelope[]::new));
        installation.project();
        UUID red = quiz.team(BoardEvents.RED);
        installation.onReadModel("UPDATE teams SET name = 'Pink' WHERE team_id = '" + red + "'");
        installation.onReadModel("UPDATE participants SET team_id = NULL WHERE participant_id = '"
                + quiz.participant("Ann") + "'");
        installation.onReadModel("DELETE FROM team_changes WHERE team_id = '" + quiz.team("Green") + "'");

        Cli.Result result = Cli.run(installation.command("verify"));

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.FAILED.status());
        assertThat(result.out()).contains("read-model-board-differs  board " + quiz.id())
                .contains("team " + red + " name (read model Pink, events " + BoardEvents.RED + ")")
                .contains("participant " + quiz.participant("Ann") + " teamId (read model null, events " + red + ")")
                .contains("history (read model 8 board, 12 participant and 5 team changes");
    }

    @Test
    void aTamperedReadModelScore_isReportedForItsBoard() throws Exception {
        installation.onReadModel("UPDATE participants SET score = 99 WHERE participant_id = '" + quiz.participant("Ann") + "'");

        Cli.Result result = Cli.run(installation.command("verify"));

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.FAILED.status());
        assertThat(result.out()).contains("read-model-board-differs  board " + quiz.id())
                .contains("participant " + quiz.participant("Ann") + " score (read model 99, events 5)")
                .contains("fix (read-model board differs): rebuild the read model");
    }

    @Test
    void aBoardMissingFromTheReadModel_andOneTheEventsDoNotKnow_areReported() throws Exception {
        installation.onReadModel("DELETE FROM scoreboards WHERE scoreboard_id = '" + quiz.id() + "'");
        installation.onReadModel("INSERT INTO scoreboards (scoreboard_id, name, score_order, ranking, version, "
                + "last_position, created_at, updated_at) VALUES ('" + UUID.randomUUID() + "', 'Ghost', 'HIGHEST_FIRST', "
                + "'STANDARD', 0, 1, now(), now())");

        Cli.Result result = Cli.run(installation.command("verify", "--json"));

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.FAILED.status());
        JsonNode counts = JSON.readTree(result.out()).path("differenceCounts");
        assertThat(counts.path("board-missing-from-read-model").asLong()).isEqualTo(1);
        assertThat(counts.path("read-model-board-not-in-events").asLong()).isEqualTo(1);
        assertThat(JSON.readTree(result.out()).path("differenceCount").asLong()).isEqualTo(2);
    }

    @Test
    void anEventMissingFromTheTopic_isReportedAfterWaitingForReplication() throws Exception {
        BoardEvents board = new BoardEvents();
        installation.append(board.created("Chess", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD));
        EventEnvelope unreplicated = installation.store(board.added("Cat"));

        Cli.Result result = Cli.run(installation.command("verify", "--replication-wait", "1", "--json"));

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.FAILED.status());
        JsonNode json = JSON.readTree(result.out());
        assertThat(json.path("result").asText()).isEqualTo("differ");
        assertThat(json.path("differenceCounts").path("missing-from-topic").asLong()).isEqualTo(1);
        assertThat(json.path("differenceCount").asLong()).isEqualTo(1);
        JsonNode first = json.path("differences").get(0);
        assertThat(first.path("eventId").asText()).isEqualTo(unreplicated.eventId().toString());
        assertThat(first.path("position").asLong()).isEqualTo(unreplicated.position());
    }

    @Test
    void anEventThatReachesTheTopicWhileVerifyWaits_isReplicationLag_notADifference() throws Exception {
        BoardEvents board = new BoardEvents();
        EventEnvelope late = installation.store(board.created("Chess", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD));

        CompletableFuture<Cli.Result> verify = CompletableFuture.supplyAsync(
                () -> Cli.run(installation.command("verify", "--replication-wait", "60")));
        Thread.sleep(3_000);
        installation.publish(late);

        Cli.Result result = verify.get();
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.OK.status());
        assertThat(result.out()).contains("read on for replication");
    }

    @Test
    void aChangedPayloadInTheTopic_isReportedWithTheFieldThatDiffers() throws Exception {
        BoardEvents board = new BoardEvents();
        installation.append(board.created("Chess", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD));
        EventEnvelope stored = installation.store(board.renamed("Chess club"));
        installation.publish(new EventEnvelope(stored.eventId(), stored.scoreboardId(), stored.sequenceNumber(),
                stored.position(), stored.occurredAt(), stored.type(), stored.typeVersion(),
                new ScoreboardRenamedEvent(stored.scoreboardId(), "Checkers")));

        Cli.Result result = Cli.run(installation.command("verify", "--replication-wait", "1"));

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.FAILED.status());
        assertThat(result.out()).contains("content-differs  event " + stored.eventId())
                .contains("payload (store {\"scoreboardId\":\"" + stored.scoreboardId() + "\",\"name\":\"Chess club\"}")
                .contains("1 DIFFERENCES");
    }

    @Test
    void aTopicRecordWithoutAStoredEvent_andABoardOutOfOrder_areReported() throws Exception {
        BoardEvents board = new BoardEvents();
        EventEnvelope created = installation.store(board.created("Chess", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD));
        EventEnvelope added = installation.store(board.added("Cat"));
        installation.publish(added);
        installation.publish(created);
        BoardEvents stranger = new BoardEvents();
        EventEnvelope foreign = stranger.created("Not ours", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD);
        installation.publish(foreign);

        Cli.Result result = Cli.run(installation.command("verify", "--replication-wait", "1", "--json"));

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.FAILED.status());
        JsonNode counts = JSON.readTree(result.out()).path("differenceCounts");
        assertThat(counts.path("not-in-event-store").asLong()).isEqualTo(1);
        assertThat(counts.path("out-of-order").asLong()).isEqualTo(2); // seq 1 where 0 was due, then 0 after 1
        assertThat(counts.path("missing-from-topic").asLong()).isZero();
        assertThat(result.out()).contains(foreign.eventId().toString());
    }

    @Test
    void aDeletedTopic_failsWithTheFix() throws Exception {
        try (var admin = Installation.admin()) {
            admin.deleteTopics(List.of(installation.topic)).all().get();
        }

        Cli.Result result = Cli.run(installation.command("verify"));

        assertThat(result.exitCode()).isEqualTo(ExitCode.FAILED.status());
        assertThat(result.err()).contains("does not exist").contains("./scoreboard republish");
    }
}
