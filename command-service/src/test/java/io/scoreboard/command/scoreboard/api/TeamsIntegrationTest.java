package io.scoreboard.command.scoreboard.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoreboard.command.RunningCommandService;
import io.scoreboard.command.RunningCommandService.Response;
import io.scoreboard.events.EventJson;
import io.scoreboard.events.FirstTokens;
import io.scoreboard.events.ParticipantTeamChangedEvent;
import io.scoreboard.events.RewoundParticipant;
import io.scoreboard.events.RewoundTeam;
import io.scoreboard.events.ScoreboardEvent;
import io.scoreboard.events.ScoreboardRewoundEvent;
import io.scoreboard.events.TeamCreatedEvent;
import io.scoreboard.events.TeamRemovedEvent;
import io.scoreboard.events.TeamRenamedEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A board's teams over HTTP, on the real service, event store and Kafka: create, rename, remove, and a participant's
 * team; the answers, the problem codes, the events stored, and a rewind that brings teams back (ADR 0046).
 */
class TeamsIntegrationTest {

    private static RunningCommandService service;
    private String board;
    private UUID boardId;
    private String admin;
    private String keeper;
    private String ann;
    private String bob;

    @BeforeAll
    static void start() {
        service = new RunningCommandService("--scoreboard.limits.max-teams=3", "--scoreboard.rate-limits.enabled=false");
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @BeforeEach
    void createBoard() {
        Response created = service.post("", "{\"name\":\"Quiz night\",\"participants\":[\"Ann\",\"Bob\"]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        boardId = UUID.fromString(created.json().get("scoreboardId").asText());
        board = "/" + boardId;
        admin = "Bearer " + created.json().get("adminToken").asText();
        keeper = "Bearer " + created.json().get("scorekeeperToken").asText();
        ann = created.json().get("participants").get(0).get("participantId").asText();
        bob = created.json().get("participants").get(1).get("participantId").asText();
    }

    private Response createTeam(String body) {
        return service.post(board + "/teams", body, "Authorization", admin);
    }

    private String team(String name) {
        Response created = createTeam("{\"name\":\"" + name + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("teamId").asText();
    }

    private Response assign(String participant, String body, String... headers) {
        List<String> all = new ArrayList<>(List.of("Authorization", admin));
        all.addAll(List.of(headers));
        return service.send("PUT", board + "/participants/" + participant + "/team", body, all.toArray(String[]::new));
    }

    private static void assertProblem(Response response, int status, String code) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.code()).as(response.body()).isEqualTo(code);
        assertThat(response.json().get("type").asText())
                .isEqualTo("urn:scoreboard:problem:" + code.toLowerCase().replace('_', '-'));
    }

    @Test
    void create_answers201_withTheTeamsIdVersionAndPosition_andALocation() throws SQLException {
        Response created = createTeam("{\"name\":\"  Red \"}");

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode body = created.json();
        assertThat(body.properties()).extracting(java.util.Map.Entry::getKey)
                .containsExactly("teamId", "version", "position");
        String teamId = body.get("teamId").asText();
        assertThat(body.get("version").asLong()).isEqualTo(3); // created, Ann, Bob, the team
        assertThat(body.get("position").asLong()).isPositive();
        assertThat(created.header("Location")).endsWith("/api/v1/scoreboards" + board + "/teams/" + teamId);
        assertThat(created.header("ETag")).isEqualTo("\"3\"");
        assertThat(stored(3)).isEqualTo(new TeamCreatedEvent(boardId, UUID.fromString(teamId), "Red",
                FirstTokens.adminTokenId(boardId)));
    }

    @Test
    void renameRemoveAndAssign_answer200_withTheVersionAndPosition() throws SQLException {
        String red = team("Red");
        String blue = team("Blue");

        Response renamed = service.send("PATCH", board + "/teams/" + red, "{\"name\":\"Scarlet\"}",
                "Authorization", admin);
        assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
        assertThat(renamed.json().properties()).extracting(java.util.Map.Entry::getKey)
                .containsExactly("version", "position");
        assertThat(renamed.json().get("version").asLong()).isEqualTo(5);
        assertThat(stored(5)).isEqualTo(new TeamRenamedEvent(boardId, UUID.fromString(red), "Scarlet",
                FirstTokens.adminTokenId(boardId)));

        Response joined = assign(ann, "{\"teamId\":\"" + red + "\"}");
        assertThat(joined.status()).as(joined.body()).isEqualTo(200);
        assertThat(joined.json().get("version").asLong()).isEqualTo(6);
        assertThat(stored(6)).isEqualTo(new ParticipantTeamChangedEvent(boardId, UUID.fromString(ann),
                UUID.fromString(red), FirstTokens.adminTokenId(boardId)));
        Response moved = assign(ann, "{\"teamId\":\"" + blue + "\"}");
        assertThat(moved.json().get("version").asLong()).isEqualTo(7);
        Response left = assign(ann, "{\"teamId\":null}");
        assertThat(left.status()).as(left.body()).isEqualTo(200);
        assertThat(left.json().get("version").asLong()).isEqualTo(8);
        assertThat(stored(8)).isEqualTo(new ParticipantTeamChangedEvent(boardId, UUID.fromString(ann), null,
                FirstTokens.adminTokenId(boardId)));

        Response removed = service.send("DELETE", board + "/teams/" + blue, null, "Authorization", admin);
        assertThat(removed.status()).as(removed.body()).isEqualTo(200);
        assertThat(removed.json().get("version").asLong()).isEqualTo(9);
        assertThat(stored(9)).isEqualTo(new TeamRemovedEvent(boardId, UUID.fromString(blue),
                FirstTokens.adminTokenId(boardId)));
    }

    @Test
    void whatChangesNothing_answers200_withTheCurrentVersion_andStoresNothing() throws SQLException {
        String red = team("Red");
        assertThat(assign(ann, "{\"teamId\":\"" + red + "\"}").json().get("version").asLong()).isEqualTo(4);

        Response sameName = service.send("PATCH", board + "/teams/" + red, "{\"name\":\" Red \"}",
                "Authorization", admin);
        assertThat(sameName.status()).as(sameName.body()).isEqualTo(200);
        assertThat(sameName.json().get("version").asLong()).isEqualTo(4);
        Response sameTeam = assign(ann, "{\"teamId\":\"" + red + "\"}");
        assertThat(sameTeam.status()).as(sameTeam.body()).isEqualTo(200);
        assertThat(sameTeam.json().get("version").asLong()).isEqualTo(4);
        Response noTeamAlready = assign(bob, "{\"teamId\":null}");
        assertThat(noTeamAlready.json().get("version").asLong()).isEqualTo(4);
        assertThat(lastSequenceNumber()).isEqualTo(4);
    }

    @Test
    void unknownAndRemovedTeamsAndParticipants_areRefused() {
        String red = team("Red");
        String gone = team("Gone");
        assertThat(service.send("DELETE", board + "/teams/" + gone, null, "Authorization", admin).status())
                .isEqualTo(200);
        String unknown = UUID.randomUUID().toString();
        service.send("DELETE", board + "/participants/" + bob, null, "Authorization", admin);

        assertProblem(createTeam("{\"name\":\"rED\"}"), 409, "DUPLICATE_TEAM_NAME");
        assertProblem(service.send("PATCH", board + "/teams/" + unknown, "{\"name\":\"X\"}", "Authorization", admin),
                404, "TEAM_NOT_FOUND");
        assertProblem(service.send("DELETE", board + "/teams/" + unknown, null, "Authorization", admin),
                404, "TEAM_NOT_FOUND");
        assertProblem(service.send("PATCH", board + "/teams/" + gone, "{\"name\":\"X\"}", "Authorization", admin),
                409, "TEAM_REMOVED");
        assertProblem(service.send("DELETE", board + "/teams/" + gone, null, "Authorization", admin),
                409, "TEAM_REMOVED");
        assertProblem(assign(ann, "{\"teamId\":\"" + unknown + "\"}"), 404, "TEAM_NOT_FOUND");
        assertProblem(assign(ann, "{\"teamId\":\"" + gone + "\"}"), 409, "TEAM_REMOVED");
        assertProblem(assign(unknown, "{\"teamId\":\"" + red + "\"}"), 404, "PARTICIPANT_NOT_FOUND");
        assertProblem(assign(bob, "{\"teamId\":\"" + red + "\"}"), 409, "PARTICIPANT_REMOVED");
        // A removed team's name is free again.
        assertThat(createTeam("{\"name\":\"gone\"}").status()).isEqualTo(201);
    }

    @Test
    void names_followTheRulesOfNames() {
        assertProblem(createTeam("{}"), 422, "INVALID_INPUT");
        assertProblem(createTeam("{\"name\":\"  \"}"), 422, "INVALID_INPUT");
        assertProblem(createTeam("{\"name\":\"" + "x".repeat(101) + "\"}"), 422, "INVALID_INPUT");
        assertProblem(createTeam("{\"name\":\"Re\\u0007d\"}"), 422, "INVALID_INPUT");
        assertThat(createTeam("{\"name\":\"" + "x".repeat(100) + "\"}").status()).isEqualTo(201);
        String red = team("Red");
        assertProblem(service.send("PATCH", board + "/teams/" + red, "{}", "Authorization", admin),
                422, "INVALID_INPUT");
    }

    @Test
    void malformedBodiesAndPaths_are400_andStoreNothing() throws SQLException {
        String red = team("Red");
        long before = lastSequenceNumber();

        assertProblem(createTeam("{\"name\":\"Blue\",\"colour\":\"blue\"}"), 400, "MALFORMED_REQUEST");
        assertProblem(createTeam("{\"name\":"), 400, "MALFORMED_REQUEST");
        assertProblem(createTeam("[\"Blue\"]"), 400, "MALFORMED_REQUEST");
        assertProblem(service.send("PATCH", board + "/teams/" + red, "{\"name\":[1]}", "Authorization", admin),
                400, "MALFORMED_REQUEST");
        assertProblem(service.send("PATCH", board + "/teams/not-a-uuid", "{\"name\":\"X\"}", "Authorization", admin),
                400, "MALFORMED_REQUEST");
        assertProblem(assign(ann, "{}"), 400, "MALFORMED_REQUEST");
        Response missing = assign(ann, "{}");
        assertThat(missing.json().get("detail").asText()).isEqualTo("field 'teamId' is required (null where it may be none)");
        assertProblem(assign(ann, "{\"teamId\":\"red\"}"), 400, "MALFORMED_REQUEST");
        assertProblem(assign(ann, "{\"teamId\":7}"), 400, "MALFORMED_REQUEST");
        assertProblem(assign(ann, "{\"teamId\":null,\"extra\":1}"), 400, "MALFORMED_REQUEST");
        assertProblem(assign(ann, "null"), 400, "MALFORMED_REQUEST");
        assertProblem(assign(ann, null), 400, "MALFORMED_REQUEST");
        assertProblem(assign("not-a-uuid", "{\"teamId\":null}"), 400, "MALFORMED_REQUEST");

        assertThat(lastSequenceNumber()).isEqualTo(before);
    }

    @Test
    void onlyTheAdminToken_managesTeams_andIfMatchIsHeld() {
        String red = team("Red");
        assertProblem(service.post(board + "/teams", "{\"name\":\"Blue\"}"), 401, "UNAUTHENTICATED");
        assertProblem(service.post(board + "/teams", "{\"name\":\"Blue\"}", "Authorization", keeper), 403, "FORBIDDEN");
        assertProblem(service.send("PATCH", board + "/teams/" + red, "{\"name\":\"X\"}", "Authorization", keeper),
                403, "FORBIDDEN");
        assertProblem(service.send("DELETE", board + "/teams/" + red, null, "Authorization", keeper), 403, "FORBIDDEN");
        assertProblem(service.send("PUT", board + "/participants/" + ann + "/team", "{\"teamId\":null}",
                "Authorization", keeper), 403, "FORBIDDEN");
        assertProblem(service.post("/" + UUID.randomUUID() + "/teams", "{\"name\":\"Blue\"}", "Authorization", admin),
                404, "SCOREBOARD_NOT_FOUND");

        assertProblem(assign(ann, "{\"teamId\":\"" + red + "\"}", "If-Match", "\"2\""), 412, "VERSION_MISMATCH");
        assertThat(assign(ann, "{\"teamId\":\"" + red + "\"}", "If-Match", "\"3\"").status()).isEqualTo(200);
        assertProblem(service.post(board + "/teams", "{\"name\":\"Blue\"}", "Authorization", admin, "If-Match", "\"3\""),
                412, "VERSION_MISMATCH");

        service.send("DELETE", board, null, "Authorization", admin);
        assertProblem(createTeam("{\"name\":\"Blue\"}"), 409, "SCOREBOARD_DELETED");
    }

    @Test
    void aBoardHoldsAtMostMaxTeams_notRemoved() {
        team("A");
        String b = team("B");
        team("C");
        Response fourth = createTeam("{\"name\":\"D\"}");
        assertProblem(fourth, 422, "LIMIT_EXCEEDED");
        assertThat(fourth.json().get("detail").asText()).contains("scoreboard.limits.max-teams", "3");

        service.send("DELETE", board + "/teams/" + b, null, "Authorization", admin);
        assertThat(createTeam("{\"name\":\"D\"}").status()).isEqualTo(201);
    }

    @Test
    void aRetryWithTheSameIdempotencyKey_getsTheFirstAnswer_andCreatesOneTeam() throws SQLException {
        Response first = service.post(board + "/teams", "{\"name\":\"Red\"}", "Authorization", admin,
                "Idempotency-Key", "team-red-1");
        Response retry = service.post(board + "/teams", "{\"name\":\"Red\"}", "Authorization", admin,
                "Idempotency-Key", "team-red-1");

        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(lastSequenceNumber()).isEqualTo(3);
    }

    @Test
    void aRewind_bringsARemovedTeamBackWithItsMembers_andRemovesATeamCreatedLater() throws Exception {
        String red = team("Red");
        assign(ann, "{\"teamId\":\"" + red + "\"}");
        assign(bob, "{\"teamId\":\"" + red + "\"}");
        Thread.sleep(20);
        Instant then = Instant.now();
        Thread.sleep(20);
        String blue = team("Blue");
        assign(bob, "{\"teamId\":\"" + blue + "\"}");
        service.send("DELETE", board + "/teams/" + red, null, "Authorization", admin);

        Response rewound = service.post(board + "/rewind", "{\"to\":\"" + then + "\"}", "Authorization", admin);

        assertThat(rewound.status()).as(rewound.body()).isEqualTo(200);
        long version = rewound.json().get("version").asLong();
        ScoreboardRewoundEvent event = (ScoreboardRewoundEvent) stored(version);
        assertThat(event.teams()).containsExactlyInAnyOrder(new RewoundTeam(UUID.fromString(red), "Red", false),
                new RewoundTeam(UUID.fromString(blue), "Blue", true));
        assertThat(event.participants()).extracting(RewoundParticipant::participantId, RewoundParticipant::teamId)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(UUID.fromString(ann), UUID.fromString(red)),
                        org.assertj.core.groups.Tuple.tuple(UUID.fromString(bob), UUID.fromString(red)));
        // Red is back and Ann is in it; Blue is gone.
        assertThat(assign(ann, "{\"teamId\":\"" + red + "\"}").json().get("version").asLong()).isEqualTo(version);
        assertProblem(assign(ann, "{\"teamId\":\"" + blue + "\"}"), 409, "TEAM_REMOVED");
    }

    private ScoreboardEvent stored(long sequenceNumber) throws SQLException {
        try (Connection c = service.connect();
             PreparedStatement p = c.prepareStatement("SELECT payload_type, payload FROM domain_event_entry"
                     + " WHERE aggregate_identifier = ? AND sequence_number = ?")) {
            p.setString(1, boardId.toString());
            p.setLong(2, sequenceNumber);
            try (ResultSet rs = p.executeQuery()) {
                assertThat(rs.next()).as("event %s stored", sequenceNumber).isTrue();
                return EventJson.readPayload(rs.getString(1), rs.getBytes(2));
            }
        }
    }

    private long lastSequenceNumber() throws SQLException {
        try (Connection c = service.connect();
             PreparedStatement p = c.prepareStatement("SELECT max(sequence_number) FROM domain_event_entry"
                     + " WHERE aggregate_identifier = ?")) {
            p.setString(1, boardId.toString());
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
