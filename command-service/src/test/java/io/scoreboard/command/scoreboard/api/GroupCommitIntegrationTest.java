package io.scoreboard.command.scoreboard.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Group commit (ADR 0029) on the real service: writes that queue up behind a busy writer are stored in one
 * transaction, a write its rules refuse fails alone and leaves no trace (in the store, or in the boards the
 * service keeps in memory), and every accepted write is stored once, in order.
 */
class GroupCommitIntegrationTest {

    private static final int PARTICIPANTS = 20;

    private static RunningCommandService service;

    /** A board of this test: its id, the scorekeeper's bearer header and its participants. */
    private record Board(String id, String keeper, List<String> participants) {
        String scoreChanges(int participant) {
            return "/" + id + "/participants/" + participants.get(participant) + "/score-changes";
        }
    }

    @BeforeAll
    static void start() {
        // One writer, so that writes queue behind it while it waits for a lock this test holds; events of at most
        // 1,600 bytes (just above the largest single write's, which the start-up check asks for), so that a round
        // over every participant (about 2 KB) is refused as it is applied.
        service = new RunningCommandService("--scoreboard.commands.group-commit.writers=1",
                "--scoreboard.commands.board-lock-timeout=20s", "--scoreboard.limits.max-event-size=1600B",
                "--scoreboard.rate-limits.enabled=false");
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    private static Board create(String name) {
        StringBuilder participants = new StringBuilder();
        for (int i = 0; i < PARTICIPANTS; i++) {
            participants.append(i == 0 ? "" : ",").append("\"P").append(i).append('"');
        }
        Response created = service.post("", "{\"name\":\"" + name + "\",\"participants\":[" + participants + "]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode json = created.json();
        List<String> ids = new ArrayList<>();
        json.get("participants").forEach(p -> ids.add(p.get("participantId").asText()));
        return new Board(json.get("scoreboardId").asText(), "Bearer " + json.get("scorekeeperToken").asText(), ids);
    }

    @Test
    void writesQueuedTogether_areStoredInOneTransaction_andARefusedOneFailsAlone_leavingNoTrace() throws Exception {
        Board blocked = create("Blocked");
        List<Board> boards = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            boards.add(create("Board " + i));
        }
        Board oversized = create("Oversized");
        ExecutorService clients = Executors.newFixedThreadPool(24);
        List<Future<Response>> accepted = new ArrayList<>();
        Future<Response> tooLarge;
        Future<Response> unknownParticipant;
        try (Connection holder = service.connect()) {
            lockBoard(holder, blocked);
            // The writer takes this one and waits for the lock; everything after it queues.
            Future<Response> first = clients.submit(() -> service.post(blocked.scoreChanges(0), "{\"delta\":1}",
                    "Authorization", blocked.keeper()));
            Thread.sleep(300);
            for (Board board : boards) {
                for (int n = 0; n < 2; n++) { // the second write to a board waits for the batch after
                    accepted.add(clients.submit(() -> service.post(board.scoreChanges(1), "{\"delta\":2}",
                            "Authorization", board.keeper())));
                }
            }
            tooLarge = clients.submit(() -> service.post("/" + oversized.id() + "/rounds", round(oversized),
                    "Authorization", oversized.keeper()));
            unknownParticipant = clients.submit(() -> service.post("/" + oversized.id() + "/participants/"
                    + UUID.randomUUID() + "/score-changes", "{\"delta\":1}", "Authorization", oversized.keeper()));
            Thread.sleep(1000);
            holder.rollback(); // the lock is free: the writer stores its write, then the queue
            accepted.add(first);
        }
        for (Future<Response> answer : accepted) {
            Response response = answer.get(30, TimeUnit.SECONDS);
            assertThat(response.status()).as(response.body()).isEqualTo(200);
        }
        Response refused = tooLarge.get(30, TimeUnit.SECONDS);
        assertThat(refused.status()).as(refused.body()).isEqualTo(422);
        assertThat(refused.code()).isEqualTo("LIMIT_EXCEEDED");
        assertThat(unknownParticipant.get(30, TimeUnit.SECONDS).code()).isEqualTo("PARTICIPANT_NOT_FOUND");
        clients.shutdown();

        var batches = service.bean(MeterRegistry.class).get("scoreboard.commands.batch.writes").summary();
        assertThat(batches.max()).as("the queued writes went together").isGreaterThanOrEqualTo(5);
        assertThat(service.bean(MeterRegistry.class).get("scoreboard.commands.batch.rerun").counter().count())
                .as("refusals by rules do not fail a batch").isZero();

        // Every accepted write is stored once, in order; the refused ones stored nothing.
        for (Board board : boards) {
            assertThat(sequenceNumbers(board.id())).as("create, %s participants, two changes", PARTICIPANTS)
                    .isEqualTo(range(PARTICIPANTS + 3));
        }
        assertThat(sequenceNumbers(oversized.id())).isEqualTo(range(PARTICIPANTS + 1));
        // The refused round was applied to the board in memory before its size was measured: that board must not
        // have been kept. The next write continues from what the store holds.
        Response next = service.post(oversized.scoreChanges(3), "{\"delta\":5}", "Authorization", oversized.keeper());
        assertThat(next.status()).as(next.body()).isEqualTo(200);
        assertThat(next.json().get("version").asLong()).isEqualTo(PARTICIPANTS + 1);
        assertThat(next.json().get("score").decimalValue()).isEqualByComparingTo("5");
        assertThat(sequenceNumbers(oversized.id())).isEqualTo(range(PARTICIPANTS + 2));
        Response again = service.post(boards.get(0).scoreChanges(1), "{\"delta\":1}", "Authorization",
                boards.get(0).keeper());
        assertThat(again.json().get("score").decimalValue()).isEqualByComparingTo("5");
    }

    @Test
    void aBoardLockedElsewhere_leavesItsBatch_andTheOthersCommitWithoutWaitingForIt() throws Exception {
        Board first = create("First");
        Board heldElsewhere = create("Held elsewhere");
        Board free = create("Free");
        Board alsoFree = create("Also free");
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try (Connection firstHolder = service.connect(); Connection otherInstance = service.connect()) {
            lockBoard(firstHolder, first);
            lockBoard(otherInstance, heldElsewhere);
            // The writer waits for the first board's lock; the next three queue behind it as one batch.
            Future<Response> firstWrite = clients.submit(() -> service.post(first.scoreChanges(0), "{\"delta\":1}",
                    "Authorization", first.keeper()));
            Thread.sleep(300);
            Future<Response> held = clients.submit(() -> service.post(heldElsewhere.scoreChanges(0), "{\"delta\":1}",
                    "Authorization", heldElsewhere.keeper()));
            Future<Response> one = clients.submit(() -> service.post(free.scoreChanges(0), "{\"delta\":1}",
                    "Authorization", free.keeper()));
            Future<Response> two = clients.submit(() -> service.post(alsoFree.scoreChanges(0), "{\"delta\":1}",
                    "Authorization", alsoFree.keeper()));
            Thread.sleep(500);
            firstHolder.rollback();
            assertThat(firstWrite.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
            // Answered while the other board's lock is still held: they did not wait for it.
            assertThat(one.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
            assertThat(two.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
            assertThat(held.isDone()).as("the held board's write waits for its lock").isFalse();
            otherInstance.rollback();
            Response late = held.get(30, TimeUnit.SECONDS);
            assertThat(late.status()).as(late.body()).isEqualTo(200);
            assertThat(late.json().get("version").asLong()).isEqualTo(PARTICIPANTS + 1);
        } finally {
            clients.shutdownNow();
        }
        assertThat(service.bean(MeterRegistry.class).get("scoreboard.commands.batch.rerun").counter().count())
                .as("a busy board does not fail its batch").isZero();
    }

    private static void lockBoard(Connection holder, Board board) throws SQLException {
        holder.setAutoCommit(false);
        try (Statement s = holder.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(" + CommandExecution.BOARD_LOCK_SPACE + ", "
                    + UUID.fromString(board.id()).hashCode() + ")");
        }
    }

    /** A round over every participant with long decimals: well above 1 KB as one event. */
    private static String round(Board board) {
        StringBuilder deltas = new StringBuilder();
        for (String participant : board.participants()) {
            deltas.append(deltas.isEmpty() ? "" : ",").append('"').append(participant).append("\": 123456789.1234");
        }
        return "{\"comment\":\"Too large\",\"deltas\":{" + deltas + "}}";
    }

    private static List<Long> range(int count) {
        List<Long> numbers = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            numbers.add(i);
        }
        return numbers;
    }

    private static List<Long> sequenceNumbers(String board) throws SQLException {
        try (Connection connection = service.connect();
             PreparedStatement query = connection.prepareStatement("SELECT sequence_number FROM domain_event_entry "
                     + "WHERE aggregate_identifier = ? ORDER BY global_index")) {
            query.setString(1, board);
            List<Long> numbers = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    numbers.add(rows.getLong(1));
                }
            }
            return numbers;
        }
    }
}
