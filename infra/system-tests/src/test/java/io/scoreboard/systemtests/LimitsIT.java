package io.scoreboard.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * At the limits: every documented maximum, used while 16 clients write to other boards, against the
 * real services (started with a 384 MB heap). Measured before: a board created with 10,000 participants
 * beside such writers filled a 512 MB heap with the replicator's gap tokens and the command service died
 * at every start from then on. Here the services never exit, nothing answers 5xx, every answered write is
 * in both stores, and verify agrees.
 */
class LimitsIT {

    private static final int MAX_PARTICIPANTS = 10_000;
    private static final int MAX_BODY = 64 * 1024;
    private static RunningSystem system;

    @BeforeAll
    static void start() {
        system = RunningSystem.start("limits");
        system.awaitReplicating();
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    /** Distinct 3-character names (case-insensitive): 10,000 of them fit in a 64 KiB body. */
    private static List<String> names(int count) {
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            names.add(String.format("%3s", Integer.toString(i, 36)).replace(' ', '0'));
        }
        return names;
    }

    private static String createBody(String name, List<String> participants) {
        StringBuilder body = new StringBuilder("{\"name\":\"").append(name).append("\",\"participants\":[");
        for (int i = 0; i < participants.size(); i++) {
            body.append(i == 0 ? "\"" : ",\"").append(participants.get(i)).append('"');
        }
        return body.append("]}").toString();
    }

    /** Background writers: each changes scores on a board of its own until stopped; counts answers by status. */
    private static final class Writers implements AutoCloseable {
        private final ExecutorService pool = Executors.newFixedThreadPool(16);
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        private final List<Future<?>> loops = new ArrayList<>();

        Writers() {
            for (int w = 0; w < 16; w++) {
                JsonNode board = Http.post(system.commandUri("/api/v1/scoreboards"),
                        "{\"name\":\"Writer " + w + "\",\"participants\":[\"A\",\"B\"]}").json();
                String uri = "/api/v1/scoreboards/" + board.get("scoreboardId").asText() + "/participants/"
                        + board.get("participants").get(0).get("participantId").asText() + "/score-changes";
                String token = "Bearer " + board.get("scorekeeperToken").asText();
                loops.add(pool.submit(() -> {
                    while (running.get()) {
                        int status = Http.post(system.commandUri(uri), "{\"delta\":1}", "Authorization", token)
                                .status();
                        statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                        if (status == 429) {
                            sleepQuietly(50); // the per-board limit: a polite client backs off
                        }
                    }
                }));
            }
        }

        Map<Integer, AtomicInteger> statuses() {
            return statuses;
        }

        @Override
        public void close() throws Exception {
            running.set(false);
            for (Future<?> loop : loops) {
                loop.get(2, TimeUnit.MINUTES);
            }
            pool.shutdown();
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Verify compares the read model with a recomputation: let the read side reach every stored event first. */
    private static void awaitReadSideAtStoreHead() {
        long head = Http.get(system.commandUri("/api/v1/ops/replication")).json().get("storePosition").asLong();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(3)).until(() ->
                Http.get(system.commandUri("/api/v1/ops/replication")).json().get("lagEvents").asLong() == 0
                        && Http.get(system.queryUri("/api/v1/scoreboards/" + UUID.randomUUID() + "?minPosition=" + head))
                        .status() == 404);
    }

    @Test
    void everyMaximum_usedBesideOrdinaryWrites_nothingExits_nothing5xx_verifyAgrees() throws Exception {
        List<Http.Response> answers = new ArrayList<>();
        Writers writers = new Writers();
        try (writers) {
            // 1. The largest board: 10,000 participants in a body under 64 KiB.
            String body = createBody("Largest", names(MAX_PARTICIPANTS));
            assertThat(body.length()).isLessThan(MAX_BODY);
            Http.Response created = Http.post(system.commandUri("/api/v1/scoreboards"), body,
                    "Idempotency-Key", UUID.randomUUID().toString());
            answers.add(created);
            assertThat(created.status()).as(created.body()).isIn(201, 202);
            JsonNode board = created.json();
            String id = board.get("scoreboardId").asText();
            String admin = "Bearer " + board.get("adminToken").asText();
            JsonNode participants = board.get("participants");
            assertThat(participants).hasSize(MAX_PARTICIPANTS);

            // 2. One more participant is refused, and changes nothing.
            Http.Response oneMore = Http.post(system.commandUri("/api/v1/scoreboards/" + id + "/participants"),
                    "{\"name\":\"zzzz\"}", "Authorization", admin);
            answers.add(oneMore);
            assertThat(oneMore.status()).isEqualTo(422);

            // 3. The largest round a 64 KiB body holds, and its undo.
            StringBuilder round = new StringBuilder("{\"comment\":\"Biggest round\",\"deltas\":{");
            int deltas = 0;
            while (round.length() + 60 < MAX_BODY - 100) {
                round.append(deltas == 0 ? "" : ",").append('"')
                        .append(participants.get(deltas).get("participantId").asText()).append("\":1.0001");
                deltas++;
            }
            round.append("}}");
            Http.Response recorded = Http.post(system.commandUri("/api/v1/scoreboards/" + id + "/rounds"),
                    round.toString(), "Authorization", admin);
            answers.add(recorded);
            assertThat(recorded.status()).as(recorded.body()).isEqualTo(200);
            Http.Response undone = Http.post(system.commandUri("/api/v1/scoreboards/" + id + "/undo"), null,
                    "Authorization", admin);
            answers.add(undone);
            assertThat(undone.status()).as(undone.body()).isEqualTo(200);

            // 4. Scores at their bounds: the largest allowed, then one step past it.
            String first = participants.get(0).get("participantId").asText();
            Http.Response largest = Http.send("PUT", system.commandUri("/api/v1/scoreboards/" + id + "/participants/"
                    + first + "/score"), "{\"score\":999999999999999.9999}", "Authorization", admin);
            answers.add(largest);
            assertThat(largest.status()).as(largest.body()).isEqualTo(200);
            Http.Response past = Http.post(system.commandUri("/api/v1/scoreboards/" + id + "/participants/" + first
                    + "/score-changes"), "{\"delta\":0.0001}", "Authorization", admin);
            answers.add(past);
            assertThat(past.status()).isEqualTo(422);

            // 5. Names at their longest, and one character past.
            Http.Response longName = Http.send("PATCH", system.commandUri("/api/v1/scoreboards/" + id),
                    "{\"name\":\"" + "n".repeat(100) + "\"}", "Authorization", admin);
            answers.add(longName);
            assertThat(longName.status()).as(longName.body()).isEqualTo(200);
            Http.Response tooLong = Http.send("PATCH", system.commandUri("/api/v1/scoreboards/" + id),
                    "{\"name\":\"" + "n".repeat(101) + "\"}", "Authorization", admin);
            answers.add(tooLong);
            assertThat(tooLong.status()).isEqualTo(422);

            // 6. A second largest board while the writers go on, then a body one byte too large.
            Http.Response second = Http.post(system.commandUri("/api/v1/scoreboards"),
                    createBody("Largest too", names(MAX_PARTICIPANTS)));
            answers.add(second);
            assertThat(second.status()).as(second.body()).isIn(201, 202);
            Http.Response oversized = Http.post(system.commandUri("/api/v1/scoreboards"),
                    "{\"name\":\"" + "x".repeat(MAX_BODY) + "\"}");
            answers.add(oversized);
            assertThat(oversized.status()).isEqualTo(413);
        }

        assertThat(system.servicesAlive()).as("both services still run").isTrue();
        assertThat(answers).allSatisfy(a -> assertThat(a.status()).as(a.body()).isLessThan(500));
        assertThat(writers.statuses().keySet()).as("statuses of the ordinary writes: " + writers.statuses())
                .allSatisfy(status -> assertThat(status).isLessThan(500));
        assertThat(writers.statuses().get(200)).as("ordinary writes went on").isNotNull();
        awaitReadSideAtStoreHead();
        OperatorCliProcess.assertVerifyAgrees(system);
    }
}
