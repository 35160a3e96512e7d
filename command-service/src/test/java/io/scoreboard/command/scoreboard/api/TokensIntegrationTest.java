package io.scoreboard.command.scoreboard.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoreboard.command.RunningCommandService;
import io.scoreboard.command.RunningCommandService.Response;
import io.scoreboard.command.scoreboard.AccessTokens;
import io.scoreboard.events.EventJson;
import io.scoreboard.events.FirstTokens;
import io.scoreboard.events.TokenIssuedEvent;
import io.scoreboard.events.TokenKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A board's tokens over HTTP, on the real service, event store and Kafka: list, issue, revoke (ADR 0042); what each
 * kind may do; and the events every token writes, which name it.
 */
class TokensIntegrationTest {

    private static RunningCommandService service;
    private String board;
    private String boardId;
    private String admin;
    private String keeper;
    private String ann;

    @BeforeAll
    static void start() {
        service = new RunningCommandService();
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @BeforeEach
    void createBoard() {
        Response created = service.post("", "{\"name\":\"Quiz night\",\"participants\":[\"Ann\"]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        boardId = created.json().get("scoreboardId").asText();
        board = "/" + boardId;
        admin = "Bearer " + created.json().get("adminToken").asText();
        keeper = "Bearer " + created.json().get("scorekeeperToken").asText();
        ann = created.json().get("participants").get(0).get("participantId").asText();
    }

    @Test
    void theList_startsWithTheTwoTokensOfTheCreation_andNeverShowsASecretOrAHash() {
        Response list = service.send("GET", board + "/tokens", null, "Authorization", admin);

        assertThat(list.status()).as(list.body()).isEqualTo(200);
        JsonNode tokens = list.json().get("tokens");
        assertThat(tokens).hasSize(2);
        UUID id = UUID.fromString(boardId);
        assertThat(tokens.get(0).get("tokenId").asText()).isEqualTo(FirstTokens.adminTokenId(id).toString());
        assertThat(tokens.get(0).get("kind").asText()).isEqualTo("ADMIN");
        assertThat(tokens.get(1).get("tokenId").asText()).isEqualTo(FirstTokens.scorekeeperTokenId(id).toString());
        assertThat(tokens.get(1).get("kind").asText()).isEqualTo("SCOREKEEPER");
        assertThat(Instant.parse(tokens.get(0).get("createdAt").asText())).isBefore(Instant.now().plusSeconds(1));
        assertThat(list.body()).doesNotContain(admin.substring(7)).doesNotContain(AccessTokens.hash(admin.substring(7)))
                .doesNotContain("hash");
    }

    @Test
    void onlyAnAdminToken_listsOrIssuesTokens() {
        assertThat(service.send("GET", board + "/tokens", null).status()).isEqualTo(401);
        assertThat(service.send("GET", board + "/tokens", null, "Authorization", keeper).status()).isEqualTo(403);
        assertThat(service.send("GET", board + "/tokens", null, "Authorization", "Bearer sba_guess").status())
                .isEqualTo(403);
        Response byKeeper = service.post(board + "/tokens", "{\"kind\":\"READER\",\"label\":\"x\"}",
                "Authorization", keeper);
        assertThat(byKeeper.status()).as(byKeeper.body()).isEqualTo(403);
        assertThat(service.send("GET", "/" + UUID.randomUUID() + "/tokens", null, "Authorization", admin).status())
                .isEqualTo(404);
    }

    @Test
    void anIssuedScorekeeperToken_scores_andItsEventsNameIt_untilItIsRevoked() throws SQLException {
        Response issued = service.post(board + "/tokens", "{\"kind\":\"SCOREKEEPER\",\"label\":\" Table 3 \"}",
                "Authorization", admin);
        assertThat(issued.status()).as(issued.body()).isEqualTo(201);
        JsonNode body = issued.json();
        String tokenId = body.get("tokenId").asText();
        String table3 = "Bearer " + body.get("token").asText();
        assertThat(body.get("token").asText()).startsWith("sbs_");
        assertThat(body.get("kind").asText()).isEqualTo("SCOREKEEPER");
        assertThat(body.get("label").asText()).isEqualTo("Table 3");
        assertThat(body.get("version").asLong()).isEqualTo(2);
        assertThat(body.get("position").asLong()).isPositive();
        assertThat(issued.header("Location")).endsWith(board + "/tokens/" + tokenId);

        Response scored = service.post(board + "/participants/" + ann + "/score-changes", "{\"delta\":3}",
                "Authorization", table3);
        assertThat(scored.status()).as(scored.body()).isEqualTo(200);
        assertThat(writerOf(scored.json().get("version").asLong())).isEqualTo(tokenId);
        Response byKeeper = service.post(board + "/participants/" + ann + "/score-changes", "{\"delta\":1}",
                "Authorization", keeper);
        assertThat(writerOf(byKeeper.json().get("version").asLong()))
                .isEqualTo(FirstTokens.scorekeeperTokenId(UUID.fromString(boardId)).toString());
        Response notAdmin = service.post(board + "/participants", "{\"name\":\"Bob\"}", "Authorization", table3);
        assertThat(notAdmin.status()).isEqualTo(403);

        Response revoked = service.send("DELETE", board + "/tokens/" + tokenId, null, "Authorization", admin);
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
        assertThat(revoked.json().get("version").asLong()).isEqualTo(5);
        Response refused = service.post(board + "/participants/" + ann + "/score-changes", "{\"delta\":3}",
                "Authorization", table3);
        assertThat(refused.status()).as("revoked at once: " + refused.body()).isEqualTo(403);
        assertThat(refused.json().get("detail").asText()).contains("revoked");

        Response again = service.send("DELETE", board + "/tokens/" + tokenId, null, "Authorization", admin);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("TOKEN_ALREADY_REVOKED");
        Response unknown = service.send("DELETE", board + "/tokens/" + UUID.randomUUID(), null, "Authorization", admin);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.code()).isEqualTo("TOKEN_NOT_FOUND");

        JsonNode list = service.send("GET", board + "/tokens", null, "Authorization", admin).json().get("tokens");
        assertThat(list).hasSize(3);
        assertThat(list.get(2).get("label").asText()).isEqualTo("Table 3");
        assertThat(list.get(2).get("revokedAt").isTextual()).isTrue();
    }

    @Test
    void aReaderToken_writesNothing() {
        Response issued = service.post(board + "/tokens", "{\"kind\":\"READER\",\"label\":\"Screen\"}",
                "Authorization", admin);
        assertThat(issued.status()).as(issued.body()).isEqualTo(201);
        String reader = "Bearer " + issued.json().get("token").asText();
        assertThat(reader).startsWith("Bearer sbr_");
        Response write = service.post(board + "/participants/" + ann + "/score-changes", "{\"delta\":3}",
                "Authorization", reader);
        assertThat(write.status()).as(write.body()).isEqualTo(403);
        assertThat(write.json().get("detail").asText()).contains("reader token may only read");
    }

    @Test
    void theLastAdminToken_cannotBeRevoked_butAnotherAdminTokenTakesOver() {
        String firstAdmin = FirstTokens.adminTokenId(UUID.fromString(boardId)).toString();
        Response last = service.send("DELETE", board + "/tokens/" + firstAdmin, null, "Authorization", admin);
        assertThat(last.status()).as(last.body()).isEqualTo(409);
        assertThat(last.code()).isEqualTo("LAST_ADMIN_TOKEN");

        Response second = service.post(board + "/tokens", "{\"kind\":\"ADMIN\",\"label\":\"Co-host\"}",
                "Authorization", admin);
        String coHost = "Bearer " + second.json().get("token").asText();
        Response handOver = service.send("DELETE", board + "/tokens/" + firstAdmin, null, "Authorization", coHost);
        assertThat(handOver.status()).as(handOver.body()).isEqualTo(200);
        assertThat(service.send("PATCH", board, "{\"name\":\"x\"}", "Authorization", admin).status()).isEqualTo(403);
        assertThat(service.send("PATCH", board, "{\"name\":\"x\"}", "Authorization", coHost).status()).isEqualTo(200);
    }

    @Test
    void badRequests_areRefusedClearly_andChangeNothing() {
        for (String bad : List.of("{}", "{\"label\":\"x\"}", "{\"kind\":\"OWNER\",\"label\":\"x\"}",
                "{\"kind\":\"READER\"}", "{\"kind\":\"READER\",\"label\":\"   \"}", "[]", "not json")) {
            Response refused = service.post(board + "/tokens", bad, "Authorization", admin);
            assertThat(refused.status()).as(bad + " -> " + refused.body()).isIn(400, 422);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        }
        assertThat(service.send("DELETE", board + "/tokens/not-a-uuid", null, "Authorization", admin).status())
                .isEqualTo(400);
        assertThat(service.send("GET", board + "/tokens", null, "Authorization", admin).json().get("tokens"))
                .hasSize(2);
    }

    @Test
    void aRetriedIssue_answersTheSameToken_andIssuesNoSecondOne() {
        String body = "{\"kind\":\"SCOREKEEPER\",\"label\":\"Table 4\"}";
        Response first = service.post(board + "/tokens", body, "Authorization", admin, "Idempotency-Key", "k-1");
        Response retry = service.post(board + "/tokens", body, "Authorization", admin, "Idempotency-Key", "k-1");

        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.json().get("token").asText()).isEqualTo(first.json().get("token").asText());
        assertThat(service.send("GET", board + "/tokens", null, "Authorization", admin).json().get("tokens"))
                .hasSize(3);
    }

    /**
     * A token issued through another instance (here: its event appended beside this service, as another instance
     * would) is unknown to this one's check before the lock; it reads the board's tokens again, at most once a
     * second, so the token works within about that second.
     */
    @Test
    void aTokenIssuedElsewhere_worksHereWithinASecondOrSo() throws Exception {
        assertThat(service.post(board + "/participants/" + ann + "/score-changes", "{\"delta\":1}",
                "Authorization", keeper).status()).isEqualTo(200); // this instance now keeps the board's tokens
        String secret = AccessTokens.newToken("sbs_");
        UUID tokenId = UUID.randomUUID();
        appendElsewhere(new TokenIssuedEvent(UUID.fromString(boardId), tokenId, TokenKind.SCOREKEEPER, "Elsewhere",
                AccessTokens.hash(secret), FirstTokens.adminTokenId(UUID.fromString(boardId))));

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<Integer> answers = new ArrayList<>();
        Response write;
        do {
            write = service.post(board + "/participants/" + ann + "/score-changes", "{\"delta\":1}",
                    "Authorization", "Bearer " + secret);
            answers.add(write.status());
            if (write.status() != 200) {
                Thread.sleep(100);
            }
        } while (write.status() != 200 && System.nanoTime() < deadline);
        assertThat(write.status()).as("answers: " + answers + ", last " + write.body()).isEqualTo(200);
        assertThat(answers).as("refused only while the kept tokens were under a second old").hasSizeLessThan(20);
        assertThat(writerOf(write.json().get("version").asLong())).isEqualTo(tokenId.toString());
    }

    /** The tokenId recorded in the board's stored event with this sequence number. */
    private String writerOf(long sequenceNumber) throws SQLException {
        try (Connection c = service.connect();
             PreparedStatement p = c.prepareStatement("SELECT payload_type, payload FROM domain_event_entry"
                     + " WHERE aggregate_identifier = ? AND sequence_number = ?")) {
            p.setString(1, boardId);
            p.setLong(2, sequenceNumber);
            try (ResultSet rs = p.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return String.valueOf(EventJson.readPayload(rs.getString(1), rs.getBytes(2)).tokenId());
            }
        }
    }

    /** Appends an event after the board's last one, in the store's own format, as another instance would. */
    private void appendElsewhere(TokenIssuedEvent event) throws SQLException {
        try (Connection c = service.connect()) {
            String type;
            long last;
            byte[] metaData;
            try (PreparedStatement p = c.prepareStatement("SELECT type, sequence_number, meta_data FROM domain_event_entry"
                    + " WHERE aggregate_identifier = ? ORDER BY sequence_number DESC LIMIT 1")) {
                p.setString(1, boardId);
                try (ResultSet rs = p.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    type = rs.getString(1);
                    last = rs.getLong(2);
                    metaData = rs.getBytes(3);
                }
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO domain_event_entry (event_identifier,"
                    + " aggregate_identifier, sequence_number, type, time_stamp, payload_type, payload, meta_data)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                p.setString(1, UUID.randomUUID().toString());
                p.setString(2, boardId);
                p.setLong(3, last + 1);
                p.setString(4, type);
                p.setString(5, Instant.now().toString());
                p.setString(6, "TokenIssued");
                p.setBytes(7, EventJson.writePayload(event));
                p.setBytes(8, metaData);
                p.executeUpdate();
            }
        }
    }
}
