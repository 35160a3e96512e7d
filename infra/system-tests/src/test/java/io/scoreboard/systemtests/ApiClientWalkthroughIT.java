package io.scoreboard.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scoreboard.client.command.api.ScoreboardCommandControllerApi;
import io.scoreboard.client.command.api.ScoringCommandControllerApi;
import io.scoreboard.client.command.api.TeamCommandControllerApi;
import io.scoreboard.client.command.api.TokenCommandControllerApi;
import io.scoreboard.client.command.model.CreateScoreboardRequest;
import io.scoreboard.client.command.model.CreateScoreboardResponse;
import io.scoreboard.client.command.model.RewindRequest;
import io.scoreboard.client.command.model.RoundRequest;
import io.scoreboard.client.command.model.ScoreChangeRequest;
import io.scoreboard.client.command.model.ScoresResponse;
import io.scoreboard.client.command.model.TeamAssignmentRequest;
import io.scoreboard.client.command.model.TeamCreatedResponse;
import io.scoreboard.client.command.model.TeamRequest;
import io.scoreboard.client.command.model.TokenIssuedResponse;
import io.scoreboard.client.command.model.TokenList;
import io.scoreboard.client.command.model.TokenRequest;
import io.scoreboard.client.command.model.TokenView;
import io.scoreboard.client.command.model.UndoResponse;
import io.scoreboard.client.command.model.UpdateScoreboardRequest;
import io.scoreboard.client.query.api.ScoreboardControllerApi;
import io.scoreboard.client.query.model.Entry;
import io.scoreboard.client.query.model.HistoryResponse;
import io.scoreboard.client.query.model.ParticipantResponse;
import io.scoreboard.client.query.model.ScoreboardResponse;
import io.scoreboard.client.query.model.TeamMember;
import io.scoreboard.client.query.model.TeamStanding;
import io.scoreboard.client.query.model.TeamStandingsResponse;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The quiz-night walkthrough (README) with the Java client the build generates from the committed OpenAPI
 * documents (infra/api-client), against the running services: if a document says a status, a media type or a
 * schema the service does not answer, the generated client fails here.
 */
class ApiClientWalkthroughIT {

    private static RunningSystem system;
    private static io.scoreboard.client.command.ApiClient commandClient;
    private static io.scoreboard.client.query.ApiClient queryClient;

    @BeforeAll
    static void start() {
        system = RunningSystem.start("ApiClientWalkthroughIT");
        commandClient = new io.scoreboard.client.command.ApiClient();
        commandClient.updateBaseUri(base(system.commandUri("/")));
        queryClient = new io.scoreboard.client.query.ApiClient();
        queryClient.updateBaseUri(base(system.queryUri("/")));
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void aQuizNight_withASecondScorekeeper_aRevokedToken_aTeamRound_aRewind_andAPrivateBoard() throws Exception {
        ScoreboardCommandControllerApi boards = new ScoreboardCommandControllerApi(commandClient);
        ScoringCommandControllerApi scoring = new ScoringCommandControllerApi(commandClient);
        TokenCommandControllerApi tokens = new TokenCommandControllerApi(commandClient);
        TeamCommandControllerApi teams = new TeamCommandControllerApi(commandClient);
        ScoreboardControllerApi reads = new ScoreboardControllerApi(queryClient);

        // 1. create the board: 201, the tokens shown once
        var created = boards.createWithHttpInfo(new CreateScoreboardRequest().name("Quiz night")
                .participants(List.of("Ann", "Bob", "Cat")), UUID.randomUUID().toString());
        assertThat(created.getStatusCode()).isEqualTo(201);
        CreateScoreboardResponse board = created.getData();
        UUID id = board.getScoreboardId();
        Map<String, String> admin = bearer(board.getAdminToken());
        Map<String, String> keeper = bearer(board.getScorekeeperToken());
        String ann = idOf(board, "Ann");
        String bob = idOf(board, "Bob");
        String cat = idOf(board, "Cat");

        // 2. round 1, atomically
        ScoresResponse round = scoring.recordRound(id, new RoundRequest().comment("Round 1")
                .deltas(Map.of(ann, new BigDecimal("5"), bob, new BigDecimal("3"), cat, new BigDecimal("4"))),
                null, UUID.randomUUID().toString(), keeper);
        assertThat(round.getScores().get(ann)).isEqualByComparingTo("5");

        // 3. a second scorekeeper at table 3, with a token of their own
        var issued = tokens.issueWithHttpInfo(id, new TokenRequest().kind(TokenRequest.KindEnum.SCOREKEEPER)
                .label("Table 3"), null, null, admin);
        assertThat(issued.getStatusCode()).isEqualTo(201);
        TokenIssuedResponse table3 = issued.getData();
        assertThat(table3.getToken()).startsWith("sbs_");
        var byTable3 = scoring.changeScore(id, UUID.fromString(bob), new ScoreChangeRequest().delta(new BigDecimal("2"))
                .reason("table 3"), null, null, bearer(table3.getToken()));
        assertThat(byTable3.getScore()).isEqualByComparingTo("5");

        // 4. a wrong entry, undone
        scoring.changeScore(id, UUID.fromString(cat), new ScoreChangeRequest().delta(new BigDecimal("10")), null, null,
                keeper);
        UndoResponse undo = scoring.undo(id, null, null, keeper);
        assertThat(undo.getScores().get(cat)).isEqualByComparingTo("4");

        // 5. table 3 goes home: its token is revoked, and refused at once
        var revoked = tokens.revoke(id, table3.getTokenId(), null, null, admin);
        assertThatThrownBy(() -> scoring.changeScore(id, UUID.fromString(bob),
                new ScoreChangeRequest().delta(BigDecimal.ONE), null, null, bearer(table3.getToken())))
                .isInstanceOfSatisfying(io.scoreboard.client.command.ApiException.class,
                        e -> assertThat(e.getCode()).isEqualTo(403));
        TokenList list = tokens.callList(id, admin);
        assertThat(list.getTokens()).extracting(TokenView::getLabel)
                .containsExactly("admin (created with the board)", "scorekeeper (created with the board)", "Table 3");
        assertThat(list.getTokens().get(2).getRevokedAt()).isNotNull();

        // 6. the reads, once the read side has the revocation
        ScoreboardResponse standings = reads.scoreboard(id, null, revoked.getPosition());
        assertThat(standings.getParticipants()).extracting(ParticipantResponse::getName, p -> p.getScore().intValue(),
                        ParticipantResponse::getRank)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Ann", 5, 1L),
                        org.assertj.core.groups.Tuple.tuple("Bob", 5, 1L),
                        org.assertj.core.groups.Tuple.tuple("Cat", 4, 3L));
        HistoryResponse history = reads.history(id, UUID.fromString(bob), null, null, revoked.getPosition());
        assertThat(history.getEntries()).extracting(Entry::getTokenLabel)
                .containsExactly("Table 3", "scorekeeper (created with the board)");

        // 7. a team round: Ann and Bob play as Red, Cat as Blue; a team's score is its members' sum
        var redCreated = teams.createTeamWithHttpInfo(id, new TeamRequest().name("Red"), null, null, admin);
        assertThat(redCreated.getStatusCode()).isEqualTo(201);
        UUID red = redCreated.getData().getTeamId();
        TeamCreatedResponse blueCreated = teams.createTeam(id, new TeamRequest().name("Blue"), null, null, admin);
        UUID blue = blueCreated.getTeamId();
        teams.changeParticipantTeam(id, UUID.fromString(ann), new TeamAssignmentRequest().teamId(red), null, null, admin);
        teams.changeParticipantTeam(id, UUID.fromString(bob), new TeamAssignmentRequest().teamId(red), null, null, admin);
        teams.changeParticipantTeam(id, UUID.fromString(cat), new TeamAssignmentRequest().teamId(blue), null, null, admin);
        ScoresResponse teamRound = scoring.recordRound(id, new RoundRequest().comment("Team round")
                .deltas(Map.of(ann, new BigDecimal("2"), bob, new BigDecimal("1"), cat, new BigDecimal("3"))),
                null, null, keeper);
        TeamStandingsResponse standingsByTeam = reads.teams(id, null, null, null, teamRound.getPosition());
        assertThat(standingsByTeam.getTeams()).extracting(TeamStanding::getName, t -> t.getScore().intValue(),
                        TeamStanding::getRank)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Red", 13, 1L),
                        org.assertj.core.groups.Tuple.tuple("Blue", 7, 2L));
        assertThat(standingsByTeam.getTeams().get(0).getMembers()).extracting(TeamMember::getName,
                        m -> m.getScore().intValue())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Ann", 7), org.assertj.core.groups.Tuple.tuple("Bob", 6));
        assertThatThrownBy(() -> teams.createTeam(id, new TeamRequest().name("RED"), null, null, admin))
                .isInstanceOfSatisfying(io.scoreboard.client.command.ApiException.class,
                        e -> assertThat(e.getCode()).isEqualTo(409));
        var renamed = teams.renameTeam(id, blue, new TeamRequest().name("Navy"), null, null, admin);
        ScoreboardResponse withTeams = reads.scoreboard(id, null, renamed.getPosition());
        assertThat(withTeams.getParticipants()).extracting(ParticipantResponse::getName, ParticipantResponse::getTeamId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Ann", red), org.assertj.core.groups.Tuple.tuple("Cat", blue),
                        org.assertj.core.groups.Tuple.tuple("Bob", red));
        assertThat(withTeams.getTeams()).extracting(t -> t.getName()).containsExactlyInAnyOrder("Red", "Navy");

        // 8. "how the board stood at nine o'clock": back to before a mistaken +100, a team left and a team removed,
        // recorded as a new event
        java.time.OffsetDateTime beforeTheMistake = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC);
        scoring.changeScore(id, UUID.fromString(ann), new ScoreChangeRequest().delta(new BigDecimal("100")), null, null,
                keeper);
        teams.changeParticipantTeam(id, UUID.fromString(cat), new TeamAssignmentRequest().teamId(null), null, null, admin);
        teams.removeTeam(id, red, null, null, admin);
        ScoresResponse back = boards.rewind(id, new RewindRequest().to(beforeTheMistake).reason("a wrong answer counted"),
                null, null, admin);
        assertThat(back.getScores().get(ann)).isEqualByComparingTo("7");
        assertThat(reads.teams(id, null, null, null, back.getPosition()).getTeams())
                .extracting(TeamStanding::getName, t -> t.getScore().intValue(), t -> t.getMembers().size())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Red", 13, 2),
                        org.assertj.core.groups.Tuple.tuple("Navy", 7, 1));
        assertThat(reads.teams(id, null, null, null, back.getPosition()).getTeams())
                .extracting(TeamStanding::getName, TeamStanding::getScore)
                .containsExactlyElementsOf(reads.teams(id, beforeTheMistake, null, null, back.getPosition()).getTeams()
                        .stream().map(t -> org.assertj.core.groups.Tuple.tuple(t.getName(), t.getScore())).toList());
        assertThat(reads.scoreboard(id, beforeTheMistake, back.getPosition()).getParticipants())
                .extracting(ParticipantResponse::getName, p -> p.getScore().intValue())
                .containsExactlyElementsOf(reads.scoreboard(id, null, back.getPosition()).getParticipants().stream()
                        .map(p -> org.assertj.core.groups.Tuple.tuple(p.getName(), p.getScore().intValue())).toList());

        // 9. a private board: 404 without one of its tokens, readable with a reader token; PATCH opens it
        CreateScoreboardResponse staff = boards.create(new CreateScoreboardRequest().name("Staff quiz")
                .visibility(CreateScoreboardRequest.VisibilityEnum.PRIVATE), UUID.randomUUID().toString());
        TokenIssuedResponse wall = tokens.issue(staff.getScoreboardId(), new TokenRequest()
                .kind(TokenRequest.KindEnum.READER).label("Wall screen"), null, null, bearer(staff.getAdminToken()));
        assertThatThrownBy(() -> reads.scoreboard(staff.getScoreboardId(), null, wall.getPosition()))
                .isInstanceOfSatisfying(io.scoreboard.client.query.ApiException.class,
                        e -> assertThat(e.getCode()).isEqualTo(404));
        assertThat(reads.scoreboard(staff.getScoreboardId(), null, wall.getPosition(), bearer(wall.getToken()))
                .getName()).isEqualTo("Staff quiz");
        var opened = boards.update(staff.getScoreboardId(), new UpdateScoreboardRequest()
                .visibility(UpdateScoreboardRequest.VisibilityEnum.PUBLIC), null, null, bearer(staff.getAdminToken()));
        assertThat(reads.scoreboard(staff.getScoreboardId(), null, opened.getPosition()).getName())
                .isEqualTo("Staff quiz");
    }

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    private static String idOf(CreateScoreboardResponse board, String name) {
        return board.getParticipants().stream().filter(p -> p.getName().equals(name)).findFirst().orElseThrow()
                .getParticipantId().toString();
    }

    private static String base(java.net.URI uri) {
        String text = uri.toString();
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }
}
