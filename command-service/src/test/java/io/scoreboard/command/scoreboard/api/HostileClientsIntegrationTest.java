package io.scoreboard.command.scoreboard.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoreboard.command.RunningCommandService;
import io.scoreboard.command.RunningCommandService.Response;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The command path against hostile and careless clients, over HTTP on the real service (PostgreSQL, Kafka):
 * refused writes take no board lock, Idempotency-Keys belong to the credential that sent them, expired
 * keys are free again, creates need unguessable keys.
 */
class HostileClientsIntegrationTest {

    private static RunningCommandService service;

    /** A board of this test: its id, its two bearer headers, and its one participant. */
    private record Board(String id, String admin, String keeper, String ann) {
        String scoreChanges() {
            return "/" + id + "/participants/" + ann + "/score-changes";
        }
    }

    @BeforeAll
    static void start() {
        // Rate limits off: this class checks what a refused write costs when it does reach the service (from many
        // addresses the failed-authentication limit would not stop it); the limits have their own tests.
        service = new RunningCommandService("--scoreboard.commands.board-lock-timeout=1s",
                "--scoreboard.rate-limits.enabled=false");
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    private static Board create(String name) {
        Response created = service.post("", "{\"name\":\"" + name + "\",\"participants\":[\"Ann\"]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode json = created.json();
        return new Board(json.get("scoreboardId").asText(), "Bearer " + json.get("adminToken").asText(),
                "Bearer " + json.get("scorekeeperToken").asText(),
                json.get("participants").get(0).get("participantId").asText());
    }

    @Test
    void refusedWrites_toABoardWhoseLockIsHeld_answerAtOnce_andOtherBoardsKeepWriting() throws Exception {
        Board busy = create("Busy");
        Board other = create("Other");
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try (Connection holder = service.connect()) {
            // This test holds the busy board's lock, as a long write to it would.
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(" + CommandExecution.BOARD_LOCK_SPACE + ", "
                        + UUID.fromString(busy.id()).hashCode() + ")");
            }
            List<Future<Response>> wrongToken = new ArrayList<>();
            List<Future<Response>> scorekeeperAsAdmin = new ArrayList<>();
            List<Future<Response>> noToken = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                wrongToken.add(clients.submit(() -> service.post(busy.scoreChanges(), "{\"delta\":1}",
                        "Authorization", "Bearer sbs_wrong")));
                if (i % 8 == 0) {
                    scorekeeperAsAdmin.add(clients.submit(() -> service.send("PATCH", "/" + busy.id(),
                            "{\"name\":\"Taken\"}", "Authorization", busy.keeper())));
                    noToken.add(clients.submit(() -> service.post(busy.scoreChanges(), "{\"delta\":1}")));
                }
            }
            Response otherBoard = service.post(other.scoreChanges(), "{\"delta\":1}", "Authorization", other.keeper());
            assertThat(otherBoard.status()).as(otherBoard.body()).isEqualTo(200);

            // Had they waited for the lock, they would have answered 503 BOARD_BUSY after the lock timeout.
            for (Future<Response> answer : wrongToken) {
                assertThat(answer.get().status()).as(answer.get().body()).isEqualTo(403);
                assertThat(answer.get().code()).isEqualTo("FORBIDDEN");
            }
            for (Future<Response> answer : scorekeeperAsAdmin) {
                assertThat(answer.get().status()).as(answer.get().body()).isEqualTo(403);
                assertThat(answer.get().json().get("detail").asText()).contains("needs the admin token");
            }
            for (Future<Response> answer : noToken) {
                assertThat(answer.get().status()).as(answer.get().body()).isEqualTo(401);
                assertThat(answer.get().header("WWW-Authenticate")).isEqualTo("Bearer");
            }

            // The right token waits for the lock, at most the lock timeout: then 503, nothing stored.
            Response waited = service.post(busy.scoreChanges(), "{\"delta\":1}", "Authorization", busy.keeper(),
                    "Idempotency-Key", UUID.randomUUID().toString());
            assertThat(waited.status()).as(waited.body()).isEqualTo(503);
            assertThat(waited.code()).isEqualTo("BOARD_BUSY");
            assertThat(waited.header("Retry-After")).isEqualTo("1");
            assertThat(waited.header("Content-Type")).startsWith("application/problem+json");
            holder.rollback();
        } finally {
            clients.shutdownNow();
        }
        assertThat(storedEvents(busy.id())).as("created and Ann: nothing else stored").isEqualTo(2);
        Response afterwards = service.post(busy.scoreChanges(), "{\"delta\":1}", "Authorization", busy.keeper());
        assertThat(afterwards.status()).as(afterwards.body()).isEqualTo(200);
        assertThat(afterwards.json().get("version").asLong()).isEqualTo(2);
    }

    @Test
    void refusals_keepTheirStatuses() {
        Board board = create("Statuses");
        Response unknown = service.post("/" + UUID.randomUUID() + "/undo", null, "Authorization", "Bearer sbs_wrong");
        assertThat(unknown.status()).as(unknown.body()).isEqualTo(404);
        assertThat(unknown.code()).isEqualTo("SCOREBOARD_NOT_FOUND");
        Response malformed = service.post(board.scoreChanges(), "{\"delta\":1}", "Authorization", "Basic abc");
        assertThat(malformed.status()).as(malformed.body()).isEqualTo(401);
        Response keeperDeletes = service.send("DELETE", "/" + board.id(), null, "Authorization", board.keeper());
        assertThat(keeperDeletes.status()).as(keeperDeletes.body()).isEqualTo(403);
        Response adminScores = service.post(board.scoreChanges(), "{\"delta\":2}", "Authorization", board.admin());
        assertThat(adminScores.status()).as(adminScores.body()).isEqualTo(200);
        Response keeperScores = service.post(board.scoreChanges(), "{\"delta\":2}", "Authorization", board.keeper());
        assertThat(keeperScores.json().get("score").decimalValue()).isEqualByComparingTo("4");
    }

    @Test
    void anIdempotencyKey_isReplayedOnlyForTheCredentialThatSentIt() {
        Board board = create("Keys");
        String key = UUID.randomUUID().toString();
        Response first = service.post(board.scoreChanges(), "{\"delta\":2}", "Authorization", board.keeper(),
                "Idempotency-Key", key);
        assertThat(first.status()).as(first.body()).isEqualTo(200);

        Response replay = service.post(board.scoreChanges(), "{\"delta\":2}", "Authorization", board.keeper(),
                "Idempotency-Key", key);
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replay.json()).isEqualTo(first.json());

        // Knowing the key is not enough: a wrong token is refused, not answered from the record.
        Response stranger = service.post(board.scoreChanges(), "{\"delta\":2}", "Authorization", "Bearer sbs_guess",
                "Idempotency-Key", key);
        assertThat(stranger.status()).as(stranger.body()).isEqualTo(403);
        assertThat(stranger.header("Idempotent-Replayed")).isNull();

        // Another credential with the same key makes a new request of its own.
        Response admin = service.post(board.scoreChanges(), "{\"delta\":2}", "Authorization", board.admin(),
                "Idempotency-Key", key);
        assertThat(admin.status()).as(admin.body()).isEqualTo(200);
        assertThat(admin.header("Idempotent-Replayed")).isNull();
        assertThat(admin.json().get("score").decimalValue()).isEqualByComparingTo("4");
        assertThat(admin.json().get("version").asLong()).isEqualTo(first.json().get("version").asLong() + 1);
    }

    @Test
    void anExpiredKey_makesAFreshRequest() throws SQLException {
        Board board = create("Expiry");
        String key = UUID.randomUUID().toString();
        Response first = service.post(board.scoreChanges(), "{\"delta\":2}", "Authorization", board.keeper(),
                "Idempotency-Key", key);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        // 26 hours later (retention 25 h), before the purge has run.
        try (Connection owner = service.connectAsOwner(); PreparedStatement age = owner.prepareStatement(
                "UPDATE idempotency_keys SET created_at = created_at - interval '26 hours' WHERE idempotency_key = ?")) {
            age.setString(1, key);
            assertThat(age.executeUpdate()).isEqualTo(1);
        }

        Response reused = service.post(board.scoreChanges(), "{\"delta\":5}", "Authorization", board.keeper(),
                "Idempotency-Key", key);
        assertThat(reused.status()).as(reused.body()).isEqualTo(200);
        assertThat(reused.header("Idempotent-Replayed")).isNull();
        assertThat(reused.json().get("score").decimalValue()).isEqualByComparingTo("7");

        Response replay = service.post(board.scoreChanges(), "{\"delta\":5}", "Authorization", board.keeper(),
                "Idempotency-Key", key);
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replay.json()).isEqualTo(reused.json());
    }

    @Test
    void aCreateKey_mustBeUnguessable_andReplaysTheTokens() throws SQLException {
        long before = storedEvents(null);
        Response guessable = service.post("", "{\"name\":\"Guessable\"}", "Idempotency-Key", "create-1");
        assertThat(guessable.status()).as(guessable.body()).isEqualTo(400);
        assertThat(guessable.code()).isEqualTo("MALFORMED_REQUEST");
        assertThat(guessable.json().get("detail").asText()).contains("at least 128 random bits");
        assertThat(storedEvents(null)).isEqualTo(before);

        String key = UUID.randomUUID().toString();
        Response created = service.post("", "{\"name\":\"Once\"}", "Idempotency-Key", key);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        Response again = service.post("", "{\"name\":\"Once\"}", "Idempotency-Key", key);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.json()).isEqualTo(created.json());
        Response otherBody = service.post("", "{\"name\":\"Twice\"}", "Idempotency-Key", key);
        assertThat(otherBody.status()).as(otherBody.body()).isEqualTo(422);
    }

    /** Events of one board, or of all boards when {@code board} is null. */
    private static long storedEvents(String board) throws SQLException {
        try (Connection c = service.connect(); PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM domain_event_entry WHERE ?::varchar IS NULL OR aggregate_identifier = ?")) {
            s.setString(1, board);
            s.setString(2, board);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
