package io.scoreboard.command.scoreboard.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoreboard.command.RunningCommandService;
import io.scoreboard.command.RunningCommandService.Response;
import io.scoreboard.command.scoreboard.Scoreboard;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Undo reaching past what a board keeps in memory (ADR 0026), on the real service and event store: five
 * rounds of a quarter window each leave the first round outside the window of {@link Scoreboard#UNDO_WINDOW_DELTAS}
 * deltas; undo still reverts the rounds one by one, the last from the store, and then has nothing left.
 */
class DeepUndoIntegrationTest {

    private static final int ROUNDS = 5;
    /** So that the four newer rounds just fill the window. */
    private static final int PARTICIPANTS = Scoreboard.UNDO_WINDOW_DELTAS / (ROUNDS - 1);

    @Test
    void undo_revertsEveryRound_theOldestReadFromTheStore() {
        assertThat((ROUNDS - 1) * PARTICIPANTS).as("the newer rounds fill the window")
                .isLessThanOrEqualTo(Scoreboard.UNDO_WINDOW_DELTAS);
        assertThat(ROUNDS * PARTICIPANTS).as("the first round falls out of it")
                .isGreaterThan(Scoreboard.UNDO_WINDOW_DELTAS);
        try (RunningCommandService service = new RunningCommandService()) {
            StringBuilder names = new StringBuilder();
            for (int p = 0; p < PARTICIPANTS; p++) {
                names.append(p == 0 ? "\"" : ",\"").append("P").append(p).append('"');
            }
            Response created = service.post("", "{\"name\":\"Deep undo\",\"participants\":[" + names + "]}");
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            String board = "/" + created.json().get("scoreboardId").asText();
            String keeper = "Bearer " + created.json().get("scorekeeperToken").asText();
            List<String> ids = new ArrayList<>();
            created.json().get("participants").forEach(p -> ids.add(p.get("participantId").asText()));

            List<Long> roundSequences = new ArrayList<>();
            for (int r = 1; r <= ROUNDS; r++) {
                StringBuilder deltas = new StringBuilder();
                for (int p = 0; p < PARTICIPANTS; p++) {
                    deltas.append(p == 0 ? "\"" : ",\"").append(ids.get(p)).append("\":").append(r);
                }
                Response round = service.post(board + "/rounds", "{\"comment\":\"R" + r + "\",\"deltas\":{" + deltas
                        + "}}", "Authorization", keeper);
                assertThat(round.status()).as(round.body()).isEqualTo(200);
                roundSequences.add(round.json().get("version").asLong());
            }

            int expected = ROUNDS * (ROUNDS + 1) / 2;
            for (int r = ROUNDS; r >= 1; r--) {
                Response undo = service.post(board + "/undo", null, "Authorization", keeper);
                assertThat(undo.status()).as(undo.body()).isEqualTo(200);
                JsonNode body = undo.json();
                assertThat(body.get("undoneSequenceNumber").asLong()).as("undo of round %d", r)
                        .isEqualTo(roundSequences.get(r - 1));
                expected -= r;
                assertThat(body.get("scores")).hasSize(PARTICIPANTS);
                for (JsonNode score : body.get("scores")) {
                    assertThat(score.decimalValue()).as("scores after undoing round %d", r)
                            .isEqualByComparingTo(Integer.toString(expected));
                }
            }
            Response nothing = service.post(board + "/undo", null, "Authorization", keeper);
            assertThat(nothing.status()).as(nothing.body()).isEqualTo(409);
            assertThat(nothing.code()).isEqualTo("NOTHING_TO_UNDO");
        }
    }
}
