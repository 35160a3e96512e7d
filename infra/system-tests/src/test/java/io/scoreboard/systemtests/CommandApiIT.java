package io.scoreboard.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint of the command API (docs/api.md, the OpenAPI document) over HTTP, with its error statuses, read back through
 * Kafka and the query service; Idempotency-Key across a crash of the command service.
 */
class CommandApiIT {

    private static RunningSystem system;

    private String board;
    private String admin;
    private String keeper;
    private String ann;
    private String bob;

    @BeforeAll
    static void start() {
        system = RunningSystem.start("CommandApiIT");
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @BeforeEach
    void createBoard() {
        JsonNode created = ok(201, Http.post(command(""), "{\"name\":\"Quiz night\",\"participants\":[\"Ann\",\"Bob\"]}"));
        board = created.get("scoreboardId").asText();
        admin = "Bearer " + created.get("adminToken").asText();
        keeper = "Bearer " + created.get("scorekeeperToken").asText();
        ann = created.get("participants").get(0).get("participantId").asText();
        bob = created.get("participants").get(1).get("participantId").asText();
    }

    @Test
    void aQuizNight_roundsCorrectionAndUndo_readBackRanked() {
        JsonNode round1 = ok(200, Http.post(command("/" + board + "/rounds"),
                "{\"comment\":\"Round 1\",\"deltas\":{\"" + ann + "\":5,\"" + bob + "\":3}}", "Authorization", keeper));
        assertThat(round1.get("scores").get(ann).decimalValue()).isEqualByComparingTo("5");
        JsonNode correction = ok(200, Http.send("PUT", command("/" + board + "/participants/" + bob + "/score"),
                "{\"score\":6,\"reason\":\"recount\"}", "Authorization", keeper));
        assertThat(correction.get("score").decimalValue()).isEqualByComparingTo("6");
        JsonNode round2 = ok(200, Http.post(command("/" + board + "/rounds"),
                "{\"comment\":\"Round 2\",\"deltas\":{\"" + ann + "\":1}}", "Authorization", keeper));
        JsonNode undo = ok(200, Http.post(command("/" + board + "/undo"), null, "Authorization", keeper));
        assertThat(undo.get("undoneSequenceNumber").asLong()).isEqualTo(round2.get("version").asLong());
        assertThat(undo.get("scores").get(ann).decimalValue()).isEqualByComparingTo("5");

        JsonNode read = read(undo.get("position").asLong());
        assertThat(read.get("participants").get(0).get("name").asText()).isEqualTo("Bob");
        assertThat(read.get("participants").get(0).get("score").decimalValue()).isEqualByComparingTo("6");
        assertThat(read.get("participants").get(1).get("score").decimalValue()).isEqualByComparingTo("5");
        assertThat(read.get("version").asLong()).isEqualTo(undo.get("version").asLong());
    }

    @Test
    void boardSettings_deleteAndRestore() {
        JsonNode patched = ok(200, Http.send("PATCH", command("/" + board),
                "{\"name\":\"Golf\",\"scoreOrder\":\"LOWEST_FIRST\",\"ranking\":\"DENSE\"}", "Authorization", admin));
        JsonNode read = read(patched.get("position").asLong());
        assertThat(read.get("name").asText()).isEqualTo("Golf");
        assertThat(read.get("scoreOrder").asText()).isEqualTo("LOWEST_FIRST");

        problem(403, Http.send("DELETE", command("/" + board), null, "Authorization", keeper));
        JsonNode deleted = ok(200, Http.send("DELETE", command("/" + board), null, "Authorization", admin));
        Http.Response gone = Http.get(system.queryUri("/api/v1/scoreboards/" + board + "?minPosition="
                + deleted.get("position").asLong()));
        assertThat(gone.status()).isEqualTo(404);
        problem(409, Http.post(command("/" + board + "/participants/" + ann + "/score-changes"), "{\"delta\":1}",
                "Authorization", admin));
        problem(409, Http.send("DELETE", command("/" + board), null, "Authorization", admin));

        JsonNode restored = ok(200, Http.post(command("/" + board + "/restore"), null, "Authorization", admin));
        assertThat(read(restored.get("position").asLong()).get("name").asText()).isEqualTo("Golf");
        problem(409, Http.post(command("/" + board + "/restore"), null, "Authorization", admin));
    }

    @Test
    void participants_addRenameRemove() {
        Http.Response addResponse = Http.post(command("/" + board + "/participants"), "{\"name\":\"Cat\"}",
                "Authorization", admin);
        JsonNode added = ok(201, addResponse);
        String cat = added.get("participantId").asText();
        assertThat(addResponse.header("Location")).isEqualTo("/api/v1/scoreboards/" + board + "/participants/" + cat);
        problem(409, Http.post(command("/" + board + "/participants"), "{\"name\":\"cat\"}", "Authorization", admin));
        problem(403, Http.post(command("/" + board + "/participants"), "{\"name\":\"Dan\"}", "Authorization", keeper));
        problem(422, Http.post(command("/" + board + "/participants"), "{\"name\":\"  \"}", "Authorization", admin));

        ok(200, Http.send("PATCH", command("/" + board + "/participants/" + cat), "{\"name\":\"Kat\"}",
                "Authorization", admin));
        JsonNode removed = ok(200, Http.send("DELETE", command("/" + board + "/participants/" + ann), null,
                "Authorization", admin));
        problem(409, Http.post(command("/" + board + "/participants/" + ann + "/score-changes"), "{\"delta\":1}",
                "Authorization", admin));
        problem(404, Http.send("PATCH", command("/" + board + "/participants/" + UUID.randomUUID()),
                "{\"name\":\"X\"}", "Authorization", admin));

        JsonNode read = read(removed.get("position").asLong());
        assertThat(read.get("participants")).extracting(p -> p.get("name").asText()).containsExactlyInAnyOrder("Bob", "Kat");
    }

    @Test
    void ifMatch_andETag() {
        Http.Response first = Http.post(command("/" + board + "/participants/" + ann + "/score-changes"),
                "{\"delta\":1}", "Authorization", keeper, "If-Match", "\"2\"");
        ok(200, first);
        assertThat(first.header("ETag")).isEqualTo("\"3\"");
        problem(412, Http.post(command("/" + board + "/participants/" + ann + "/score-changes"), "{\"delta\":1}",
                "Authorization", keeper, "If-Match", "\"2\""));
        problem(400, Http.post(command("/" + board + "/participants/" + ann + "/score-changes"), "{\"delta\":1}",
                "Authorization", keeper, "If-Match", "yesterday"));
    }

    @Test
    void errorStatuses_appendNothing() throws SQLException {
        long before = storedEvents();
        String scoreUrl = "/" + board + "/participants/" + ann + "/score-changes";
        problem(401, Http.post(command(scoreUrl), "{\"delta\":1}"));
        problem(403, Http.post(command(scoreUrl), "{\"delta\":1}", "Authorization", "Bearer wrong"));
        problem(404, Http.post(command("/" + UUID.randomUUID() + "/undo"), null, "Authorization", admin));
        problem(409, Http.post(command("/" + board + "/undo"), null, "Authorization", admin));
        problem(422, Http.post(command(scoreUrl), "{\"delta\":1e15}", "Authorization", admin));
        problem(422, Http.send("PUT", command("/" + board + "/participants/" + ann + "/score"),
                "{\"score\":0.00001}", "Authorization", admin));
        problem(422, Http.post(command("/" + board + "/rounds"), "{\"deltas\":{}}", "Authorization", admin));
        problem(404, Http.post(command("/" + board + "/rounds"), "{\"deltas\":{\"" + UUID.randomUUID() + "\":1}}",
                "Authorization", admin));
        problem(422, Http.send("PATCH", command("/" + board), "{}", "Authorization", admin));
        problem(400, Http.send("PATCH", command("/" + board), "{\"ranking\":\"BEST\"}", "Authorization", admin));
        assertThat(storedEvents()).isEqualTo(before);
    }

    @Test
    void idempotencyKey_replaysTheFirstResponse_evenAfterACrash() throws SQLException {
        String key = UUID.randomUUID().toString();
        String scoreUrl = "/" + board + "/participants/" + bob + "/score-changes";
        Http.Response first = Http.post(command(scoreUrl), "{\"delta\":2}", "Authorization", keeper,
                "Idempotency-Key", key);
        ok(200, first);
        // A create replays its tokens too (stored encrypted, never in events).
        String createKey = UUID.randomUUID().toString();
        JsonNode created = ok(201, Http.post(command(""), "{\"name\":\"Once\"}", "Idempotency-Key", createKey));
        JsonNode again = ok(201, Http.post(command(""), "{\"name\":\"Once\"}", "Idempotency-Key", createKey));
        assertThat(again).isEqualTo(created);
        long afterFirst = storedEvents();

        system.restartCommandService();

        Http.Response retry = Http.post(command(scoreUrl), "{\"delta\":2}", "Authorization", keeper,
                "Idempotency-Key", key);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.json()).isEqualTo(first.json());
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(storedEvents()).isEqualTo(afterFirst);

        problem(422, Http.post(command(scoreUrl), "{\"delta\":3}", "Authorization", keeper, "Idempotency-Key", key));
        system.awaitReplicating();

    }

    /**
     * Tokens end to end: a second scorekeeper's token, its changes named in the query side's history (JSON and CSV)
     * with its label, and revoked at once.
     */
    @Test
    void aSecondScorekeepersToken_isNamedInHistory_andStopsWorkingWhenRevoked() {
        JsonNode issued = ok(201, Http.post(command("/" + board + "/tokens"),
                "{\"kind\":\"SCOREKEEPER\",\"label\":\"Table 3\"}", "Authorization", admin));
        String table3 = "Bearer " + issued.get("token").asText();
        String tokenId = issued.get("tokenId").asText();
        JsonNode scored = ok(200, Http.post(command("/" + board + "/participants/" + ann + "/score-changes"),
                "{\"delta\":2,\"reason\":\"table 3\"}", "Authorization", table3));
        JsonNode byKeeper = ok(200, Http.post(command("/" + board + "/participants/" + bob + "/score-changes"),
                "{\"delta\":1}", "Authorization", keeper));

        Http.Response history = Http.get(system.queryUri("/api/v1/scoreboards/" + board + "/history?minPosition="
                + byKeeper.get("position").asLong()));
        assertThat(history.status()).as(history.body()).isEqualTo(200);
        JsonNode entries = history.json().get("entries");
        assertThat(entries.get(0).get("tokenLabel").asText()).isEqualTo("scorekeeper (created with the board)");
        assertThat(entries.get(1).get("tokenId").asText()).isEqualTo(tokenId);
        assertThat(entries.get(1).get("tokenLabel").asText()).isEqualTo("Table 3");
        Http.Response csv = Http.get(system.queryUri("/api/v1/scoreboards/" + board + "/history/export.csv"));
        assertThat(csv.body()).contains("," + tokenId + ",Table 3\r\n").doesNotContain(table3.substring(7));

        ok(200, Http.send("DELETE", command("/" + board + "/tokens/" + tokenId), null, "Authorization", admin));
        Http.Response refused = Http.post(command("/" + board + "/participants/" + ann + "/score-changes"),
                "{\"delta\":2}", "Authorization", table3);
        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        Http.Response list = Http.send("GET", command("/" + board + "/tokens"), null, "Authorization", admin);
        assertThat(list.status()).as(list.body()).isEqualTo(200);
        JsonNode tokens = list.json().get("tokens");
        assertThat(tokens).hasSize(3);
        assertThat(tokens.get(2).get("revokedAt").isNull()).isFalse();
        assertThat(scored.get("version").asLong()).as("created at 2, the token at 3").isEqualTo(4);
    }

    /** A private board end to end: 404 on the query side without one of its tokens, readable with any; PATCH opens it. */
    @Test
    void aPrivateBoard_isReadOnlyWithOneOfItsTokens_untilItIsMadePublic() {
        JsonNode created = ok(201, Http.post(command(""),
                "{\"name\":\"Staff quiz\",\"participants\":[\"Ann\"],\"visibility\":\"PRIVATE\"}"));
        String id = created.get("scoreboardId").asText();
        String owner = "Bearer " + created.get("adminToken").asText();
        JsonNode reader = ok(201, Http.post(command("/" + id + "/tokens"), "{\"kind\":\"READER\",\"label\":\"Wall\"}",
                "Authorization", owner));
        String read = "/api/v1/scoreboards/" + id + "?minPosition=" + reader.get("position").asLong();

        Http.Response anonymous = Http.get(system.queryUri(read));
        assertThat(anonymous.status()).as(anonymous.body()).isEqualTo(404);
        assertThat(anonymous.json().get("code").asText()).isEqualTo("SCOREBOARD_NOT_FOUND");
        Http.Response withReader = Http.send("GET", system.queryUri(read), null, "Authorization",
                "Bearer " + reader.get("token").asText());
        assertThat(withReader.status()).as(withReader.body()).isEqualTo(200);
        Http.Response history = Http.get(system.queryUri("/api/v1/scoreboards/" + id + "/history/export.csv?token="
                + reader.get("token").asText()));
        assertThat(history.status()).as(history.body()).isEqualTo(200);

        JsonNode opened = ok(200, Http.send("PATCH", command("/" + id), "{\"visibility\":\"PUBLIC\"}",
                "Authorization", owner));
        Http.Response open = Http.get(system.queryUri("/api/v1/scoreboards/" + id + "?minPosition="
                + opened.get("position").asLong()));
        assertThat(open.status()).as(open.body()).isEqualTo(200);
        problem(400, Http.send("PATCH", command("/" + id), "{\"visibility\":\"SECRET\"}", "Authorization", owner));
    }

    private static URI command(String path) {
        return system.commandUri("/api/v1/scoreboards" + path);
    }

    private JsonNode read(long minPosition) {
        Http.Response read = Http.get(system.queryUri("/api/v1/scoreboards/" + board + "?minPosition=" + minPosition));
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        return read.json();
    }

    private static JsonNode ok(int status, Http.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("ETag")).isNotBlank();
        return response.json();
    }

    private static void problem(int status, Http.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("detail").asText()).isNotBlank();
        assertThat(response.json().get("type").asText()).startsWith("urn:scoreboard:problem:");
    }

    private static long storedEvents() throws SQLException {
        try (Connection c = DriverManager.getConnection(system.databases.eventsJdbcUrl(),
                system.databases.appRole().user(), system.databases.appRole().password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM domain_event_entry")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
