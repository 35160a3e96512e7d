package io.scoreboard.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoreboard.projections.scoreboard.BoardRow;
import io.scoreboard.projections.scoreboard.ScoreboardView;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Disaster drills 1 and 5 with the real services as processes and the CLI as an operator runs it:
 * a point-in-time copy reproduces the boards exactly as they were served at that instant, and a
 * dropped read database comes back through {@code rebuild} while writes go on, none refused.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReadModelRebuildDrillIT {

    private static RunningSystem system;
    private static final List<Board> boards = new ArrayList<>();
    private static final Random random = new Random(5);

    record Board(String id, String admin, List<String> participants) {}

    @BeforeAll
    static void start() {
        system = RunningSystem.start("ReadModelRebuildDrillIT");
        for (int i = 0; i < 6; i++) {
            JsonNode created = Http.post(system.commandUri("/api/v1/scoreboards"), "{\"name\":\"Drill " + i
                    + "\",\"ranking\":\"" + List.of("STANDARD", "DENSE", "ORDINAL").get(i % 3)
                    + "\",\"participants\":[\"Ann\",\"Bob\",\"Cy\"]}").json();
            List<String> participants = new ArrayList<>();
            created.get("participants").forEach(p -> participants.add(p.get("participantId").asText()));
            boards.add(new Board(created.get("scoreboardId").asText(), "Bearer " + created.get("adminToken").asText(),
                    participants));
        }
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    @Order(1)
    void drill5_untilReproducesTheBoardsExactlyAsTheyWereServedAtThatInstant() throws Exception {
        long position = 0;
        for (int i = 0; i < 40; i++) {
            position = Math.max(position, changeScore(boards.get(i % boards.size())));
        }
        Map<String, JsonNode> servedThen = new HashMap<>();
        for (Board b : boards) {
            servedThen.put(b.id(), Http.get(system.queryUri("/api/v1/scoreboards/" + b.id() + "?minPosition=" + position))
                    .json());
        }
        Thread.sleep(20);
        Instant then = Instant.now();
        Thread.sleep(20);
        for (int i = 0; i < 30; i++) {
            changeScore(boards.get(i % boards.size()));
        }
        Board renamed = boards.get(0);
        assertThat(Http.send("PATCH", system.commandUri("/api/v1/scoreboards/" + renamed.id()),
                "{\"name\":\"Renamed later\",\"ranking\":\"DENSE\"}", "Authorization", renamed.admin()).status())
                .isEqualTo(200);

        OperatorCliProcess.Result result = OperatorCliProcess.run(system, "rebuild", "--until=" + then);

        assertThat(result.exitCode()).as(result.all()).isZero();
        String copy = ReadModels.schemas(system).stream().filter(s -> s.startsWith("read_model_asof_")).findFirst()
                .orElseThrow();
        Map<UUID, BoardRow> copied = ReadModels.stored(system, copy);
        assertThat(copied).isEqualTo(ReadModels.recomputedFromTopic(system, e -> ReadModels.atOrBefore(e, then)));
        for (Board b : boards) {
            JsonNode served = servedThen.get(b.id());
            ScoreboardView view = ReadModels.view(system, copy, UUID.fromString(b.id()));
            assertThat(view.name()).isEqualTo(served.get("name").asText());
            assertThat(view.scoreOrder().name()).isEqualTo(served.get("scoreOrder").asText());
            assertThat(view.version()).isEqualTo(served.get("version").asLong());
            List<String> servedRanks = new ArrayList<>();
            served.get("participants").forEach(p -> servedRanks.add(p.get("participantId").asText() + " "
                    + p.get("score").decimalValue().stripTrailingZeros().toPlainString() + " #" + p.get("rank").asLong()));
            assertThat(view.participants()).extracting(p -> p.participantId() + " "
                    + p.score().stripTrailingZeros().toPlainString() + " #" + p.rank())
                    .as("board %s as served at %s", b.id(), then).containsExactlyElementsOf(servedRanks);
        }
        assertThat(ReadModels.stored(system, "read_model").get(UUID.fromString(renamed.id())).name())
                .as("the live model is untouched and current").isEqualTo("Renamed later");
        OperatorCliProcess.assertVerifyAgrees(system);
    }

    @Test
    @Order(2)
    void drill1_aDroppedReadDatabaseIsRebuiltWhileWritesGoOn_noneRefused() throws Exception {
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            while (writing.get()) {
                int status = changeScoreStatus(boards.get(random.nextInt(boards.size())));
                statuses.merge(status, 1, Integer::sum);
            }
        }, "drill-writer");
        writer.start();
        try {
            Thread.sleep(500);
            system.databases.recreateReadDatabase(); // dropped with its connections, made again empty
            Thread.sleep(500);

            OperatorCliProcess.Result result = OperatorCliProcess.run(system, "rebuild", "--confirm=test");

            assertThat(result.exitCode()).as(result.all()).isZero();
            assertThat(result.out()).contains("The query service now serves the rebuilt model");
            Thread.sleep(1000); // writes after the switch, applied by the live runner on the rebuilt model
        } finally {
            writing.set(false);
            writer.join();
        }

        assertThat(statuses.keySet()).as("statuses of the writes during the drill: " + statuses).containsOnly(200);
        assertThat(statuses.get(200)).isGreaterThan(10);
        Map<UUID, BoardRow> expected = ReadModels.recomputedFromTopic(system);
        Map<UUID, BoardRow> live = ReadModels.awaitLiveEquals(system, expected, Duration.ofSeconds(60));
        assertThat(live).as("every board equals a fresh recomputation from the topic").isEqualTo(expected);
        assertThat(ReadModels.schemas(system)).anyMatch(s -> s.startsWith("read_model_retired_"));

        // And the query service serves the rebuilt model, current to the last write.
        Board b = boards.get(1);
        long position = changeScore(b);
        JsonNode served = Http.get(system.queryUri("/api/v1/scoreboards/" + b.id() + "?minPosition=" + position)).json();
        assertThat(served.get("version").asLong()).isEqualTo(live.get(UUID.fromString(b.id())).version() + 1);
        TwoStores.assertSameEvents(system, List.of(position));
        OperatorCliProcess.assertVerifyAgrees(system);
    }


    private static long changeScore(Board b) {
        Http.Response r = scoreChange(b);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("position").asLong();
    }

    private static int changeScoreStatus(Board b) {
        return scoreChange(b).status();
    }

    private static Http.Response scoreChange(Board b) {
        String participant = b.participants().get(random.nextInt(b.participants().size()));
        int delta = random.nextInt(7) - 2;
        URI uri = system.commandUri("/api/v1/scoreboards/" + b.id() + "/participants/" + participant + "/score-changes");
        return Http.post(uri, "{\"delta\":" + delta + ",\"reason\":\"drill\"}", "Authorization", b.admin());
    }
}
