package io.scoreboard.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The live board page ({@code GET /boards/{id}} on the query service) in a real browser, Debian's headless
 * Chromium (ADR 0037), against both services as processes: the ranking moves as scores change without a reload,
 * and a query service that dies and comes back costs the page nothing: it says "reconnecting…" meanwhile and
 * then shows the change made while it was down. A board deleted while shown, or one that never existed, says so.
 */
class LiveBoardPageIT {

    private static final String TEST = "LiveBoardPageIT";
    /** Every wait of the browser: on a loaded two-core machine a change takes a second or two to show. */
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String API = BoardClient.API;

    private static RunningSystem system;
    private static ChromeDriver browser;

    @BeforeAll
    static void start() {
        // the browser first: missing packages fail at once, before two services are started for nothing
        browser = HeadlessChromium.start(Path.of("target", "service-logs", TEST + "-chromedriver.log"));
        system = RunningSystem.start(TEST);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (system != null) {
            system.close();
        }
    }

    @Test
    void theRankingMovesWithoutAReload_andNothingIsLostWhileTheQueryServiceRestarts() {
        Board board = Board.create("Pub quiz", "Ann", "Bob", "Cat");
        String ann = board.participant("Ann");
        String bob = board.participant("Bob");
        String cat = board.participant("Cat");
        long position = board.round(Map.of(ann, "30", bob, "20.5", cat, "10.25"));
        awaitReadSide(board.id, position); // so that the page's first answer already has the board

        browser.get(system.queryUri("/boards/" + board.id).toString());
        awaitRows("the first snapshot", List.of(row(ann, 1, "30"), row(bob, 2, "20.5"), row(cat, 3, "10.25")));
        awaitStatus("live");
        assertThat(browser.findElement(By.id("board-name")).getText()).isEqualTo("Pub quiz");
        String marker = UUID.randomUUID().toString();
        browser.executeScript("window.liveBoardMarker = arguments[0];"
                // every row's data-moved as it is set: the highlight fades after seconds, a wait could miss it
                + "window.liveBoardMoves = [];"
                + "new MutationObserver(changes => changes.forEach(c => c.target.dataset.moved && "
                + "  window.liveBoardMoves.push(c.target.dataset.participantId + ' ' + c.target.dataset.moved)))"
                + ".observe(document.getElementById('ranking-rows'), "
                + "  {subtree: true, attributes: true, attributeFilter: ['data-moved']});", marker);

        board.changeScore(cat, "25.0001"); // 3rd → 1st
        awaitRows("Cat's change", List.of(row(cat, 1, "35.2501"), row(ann, 2, "30"), row(bob, 3, "20.5")));
        assertThat(browser.executeScript("return window.liveBoardMarker")).as("the same page, not reloaded")
                .isEqualTo(marker);
        assertThat(browser.executeScript("return window.liveBoardMoves")).as("rows that moved show it")
                .asInstanceOf(InstanceOfAssertFactories.LIST).contains(cat + " up", ann + " down", bob + " down");

        // A restart as a deployment does it (SIGTERM): the stream's connection drops. (After a SIGKILL the new
        // instance's projection first waits out the dead consumer's Kafka session: scoreboard.kafka.session-timeout,
        // 45 s.)
        system.stopQueryService();
        awaitStatus("reconnecting…");
        // scored while no query service runs: the page must show it once one is back, however it gets it
        board.setScore(bob, "999999999999999.9999");
        system.startQueryServiceAgain();
        awaitRows("Bob's score set while the query service was down",
                List.of(row(bob, 1, "999999999999999.9999"), row(cat, 2, "35.2501"), row(ann, 3, "30")));
        awaitStatus("live");
        assertThat(browser.executeScript("return window.liveBoardMarker")).as("the same page, not reloaded")
                .isEqualTo(marker);
    }

    @Test
    void teamStandingsFollowTheBoard_scoresMembershipAndNames() {
        Board board = Board.create("Team quiz", "Ann", "Bob", "Cat");
        String ann = board.participant("Ann");
        String bob = board.participant("Bob");
        String cat = board.participant("Cat");
        String red = board.team("Red");
        String blue = board.team("Blue");
        board.join(ann, red);
        board.join(bob, red);
        board.join(cat, blue);
        long position = board.round(Map.of(ann, "3", bob, "2", cat, "4"));
        awaitReadSide(board.id, position);

        browser.get(system.queryUri("/boards/" + board.id).toString());
        awaitTeams("the first snapshot", List.of("Red 1 5", "Blue 2 4"));

        board.changeScore(cat, "1.5"); // Blue 5.5 overtakes Red 5
        awaitTeams("Cat's change", List.of("Blue 1 5.5", "Red 2 5"));
        board.asAdmin("PATCH", "/teams/" + red, "{\"name\":\"Crimson\"}");
        board.asAdmin("PUT", "/participants/" + bob + "/team", "{\"teamId\":\"" + blue + "\"}"); // Bob moves: 7.5 to 3
        awaitTeams("the rename and Bob's move", List.of("Blue 1 7.5", "Crimson 2 3"));
        board.asAdmin("DELETE", "/teams/" + blue, null);
        awaitTeams("Blue's removal", List.of("Crimson 1 3"));
    }

    @Test
    void aBoardDeletedWhileShown_saysSo() {
        Board board = Board.create("Darts", "Dee", "Eve");
        long position = board.round(Map.of(board.participant("Eve"), "3"));
        awaitReadSide(board.id, position);
        browser.get(system.queryUri("/boards/" + board.id + "?tv=1").toString());
        awaitRows("the first snapshot",
                List.of(row(board.participant("Eve"), 1, "3"), row(board.participant("Dee"), 2, "0")));

        Http.Response deleted = Http.send("DELETE", system.commandUri(API + "/" + board.id), null,
                "Authorization", board.admin);
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
        awaitMessage("This board was deleted");
        assertThat(browser.findElement(By.id("ranking")).isDisplayed()).as("the ranking is gone").isFalse();
    }

    @Test
    void aBoardThatDoesNotExist_saysSo() {
        browser.get(system.queryUri("/boards/" + UUID.randomUUID()).toString());
        awaitMessage("This board does not exist");
        assertThat(browser.findElements(By.cssSelector("#ranking-rows tr"))).isEmpty();
    }

    // --- the browser ---------------------------------------------------------------------------------------------

    /** A row as the page shows it: participant, rank, score (compared as numbers: exact, never as doubles). */
    private record Row(String participantId, int rank, BigDecimal score) {
        boolean sameAs(Row shown) {
            return participantId.equals(shown.participantId) && rank == shown.rank && score.compareTo(shown.score) == 0;
        }
    }

    private static Row row(String participantId, int rank, String score) {
        return new Row(participantId, rank, new BigDecimal(score));
    }

    /** The ranking's rows top to bottom, from the data attributes every row carries. */
    @SuppressWarnings("unchecked")
    private static List<Row> shownRows() {
        List<List<String>> rows = (List<List<String>>) browser.executeScript("return Array.from("
                + "document.querySelectorAll('#ranking-rows tr'), "
                + "r => [r.dataset.participantId, r.dataset.rank, r.dataset.score, r.cells[2].textContent]);");
        return rows.stream().map(r -> {
            assertThat(r.get(3)).as("the score cell shows the score as sent").isEqualTo(r.get(2));
            return new Row(r.get(0), Integer.parseInt(r.get(1)), new BigDecimal(r.get(2)));
        }).toList();
    }

    private static void awaitRows(String what, List<Row> expected) {
        wait(what + ": " + expected, driver -> {
            List<Row> shown = shownRows();
            if (shown.size() != expected.size()) {
                return false;
            }
            for (int i = 0; i < shown.size(); i++) {
                if (!expected.get(i).sameAs(shown.get(i))) {
                    return false;
                }
            }
            return true;
        });
    }

    private static void awaitStatus(String text) {
        wait("the status to read '" + text + "'", driver -> driver.findElement(By.id("status")).getText().equals(text));
    }

    private static void awaitMessage(String text) {
        wait("the page to say '" + text + "'", driver -> {
            var message = driver.findElement(By.id("message"));
            return message.isDisplayed() && message.getText().equals(text);
        });
    }

    private static void wait(String what, Function<WebDriver, Boolean> condition) {
        new WebDriverWait(browser, WAIT)
                .withMessage(() -> "waited " + WAIT.toSeconds() + " s for " + what + "; the page shows: status '"
                        + browser.findElement(By.id("status")).getText() + "', rows "
                        + safely(LiveBoardPageIT::shownRows)
                        + ", message '" + browser.findElement(By.id("message")).getText() + "'; the query API: "
                        + safely(() -> Http.get(system.queryUri(API + "/" + pageBoardId())).body()) + "; console:\n"
                        + HeadlessChromium.console(browser))
                .until(condition::apply);
    }

    /** The team standings top to bottom, each as "name rank score" (the score as a plain number). */
    @SuppressWarnings("unchecked")
    private static List<String> shownTeams() {
        List<List<String>> rows = (List<List<String>>) browser.executeScript("return Array.from("
                + "document.querySelectorAll('#team-rows tr'), r => [r.cells[1].textContent, r.dataset.rank, "
                + "r.dataset.score]);");
        return rows.stream().map(r -> r.get(0) + " " + r.get(1) + " "
                + new BigDecimal(r.get(2)).stripTrailingZeros().toPlainString()).toList();
    }

    private static void awaitTeams(String what, List<String> expected) {
        wait(what + ": teams " + expected, driver -> shownTeams().equals(expected));
    }

    /** The board id in the page's URL. */
    private static String pageBoardId() {
        String path = java.net.URI.create(browser.getCurrentUrl()).getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static String safely(java.util.function.Supplier<?> value) {
        try {
            return String.valueOf(value.get());
        } catch (RuntimeException | AssertionError e) {
            return "(" + e.getMessage() + ")";
        }
    }

    // --- the services --------------------------------------------------------------------------------------------

    private static void awaitReadSide(String boardId, long position) {
        Http.Response read = BoardClient.readAtPosition(system, API + "/" + boardId, position, "127.0.0.1");
        assertThat(read.status()).as(read.body()).isEqualTo(200);
    }

    /** A board written through the command API: scores with its scorekeeper token. */
    private record Board(String id, String admin, String keeper, Map<String, String> participants) {

        static Board create(String name, String... participantNames) {
            Http.Response created = Http.post(system.commandUri(API),
                    BoardClient.createBody(name, List.of(participantNames)));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            JsonNode json = created.json();
            Map<String, String> ids = new HashMap<>();
            json.get("participants").forEach(p -> ids.put(p.get("name").asText(), p.get("participantId").asText()));
            return new Board(json.get("scoreboardId").asText(), "Bearer " + json.get("adminToken").asText(),
                    "Bearer " + json.get("scorekeeperToken").asText(), ids);
        }

        String participant(String name) {
            return participants.get(name);
        }

        /** @return the position of the round's event */
        long round(Map<String, String> deltas) {
            StringBuilder body = new StringBuilder("{\"deltas\":{");
            deltas.forEach((participant, delta) -> body.append('"').append(participant).append("\":").append(delta)
                    .append(','));
            body.setLength(body.length() - 1);
            return write("POST", "/rounds", body.append("}}").toString());
        }

        long changeScore(String participant, String delta) {
            return write("POST", "/participants/" + participant + "/score-changes", "{\"delta\":" + delta + "}");
        }

        long setScore(String participant, String score) {
            return write("PUT", "/participants/" + participant + "/score", "{\"score\":" + score + "}");
        }

        /** @return the new team's id */
        String team(String name) {
            Http.Response answer = Http.post(system.commandUri(API + "/" + id + "/teams"), "{\"name\":\"" + name + "\"}",
                    "Authorization", admin);
            assertThat(answer.status()).as(answer.body()).isEqualTo(201);
            return answer.json().get("teamId").asText();
        }

        long join(String participant, String team) {
            return asAdmin("PUT", "/participants/" + participant + "/team", "{\"teamId\":\"" + team + "\"}");
        }

        /** A write with the admin token; @return its event's position */
        long asAdmin(String method, String path, String body) {
            Http.Response answer = Http.send(method, system.commandUri(API + "/" + id + path), body,
                    "Authorization", admin);
            assertThat(answer.status()).as(method + " " + path + " " + body + " → " + answer.body()).isEqualTo(200);
            return answer.json().get("position").asLong();
        }

        private long write(String method, String path, String body) {
            Http.Response answer = Http.send(method, system.commandUri(API + "/" + id + path), body,
                    "Authorization", keeper);
            assertThat(answer.status()).as(method + " " + path + " " + body + " → " + answer.body()).isEqualTo(200);
            return answer.json().get("position").asLong();
        }
    }
}
