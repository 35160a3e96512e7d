package io.scoreboard.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Rewind (ADR 0044) against the query side's own reading of the past, through the whole system: for random histories
 * (adds, renames, removals, score changes, rounds, undos, earlier rewinds, and teams created, renamed, removed, joined
 * and left) and a random instant between two of their writes, the board after {@code POST …/rewind {"to": t}} is the
 * board {@code ?asOf=t}: the same participants, names, teams, scores and ranks (ORDINAL ties included), and the same
 * team standings. The two are computed apart: the rewind by the command side from
 * the event store, {@code asOf} by the query service from the read model's history tables.
 */
class RewindPropertiesIT {

    private static final String API = "/api/v1/scoreboards";
    private static RunningSystem system;

    @BeforeContainer
    static void start() {
        system = RunningSystem.start("RewindPropertiesIT");
    }

    @AfterContainer
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    /** One write of a random history; {@code who} picks a participant by index among all the board ever had. */
    record Op(String kind, int who, int amount, int other) {}

    @Provide
    Arbitrary<List<Op>> histories() {
        Arbitrary<Op> op = Combinators.combine(
                        Arbitraries.of("add", "rename", "remove", "change", "change", "change", "round", "undo", "rewind",
                                "team", "join", "join", "leave", "teamRename", "teamRemove"),
                        Arbitraries.integers().between(0, 9), Arbitraries.integers().between(-5, 9),
                        Arbitraries.integers().between(0, 9))
                .as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(12);
    }

    @Property(tries = 20)
    void theBoardAfterRewindingToAnInstant_isTheBoardAsOfThatInstant(
            @ForAll("histories") List<Op> history, @ForAll("rankings") String ranking,
            @ForAll("fractions") double where) throws Exception {
        JsonNode created = ok(201, Http.post(uri(""), "{\"name\":\"Rewind\",\"ranking\":\"" + ranking
                + "\",\"participants\":[\"Ann\",\"Bob\",\"Cat\"]}"));
        String board = "/" + created.get("scoreboardId").asText();
        String admin = "Bearer " + created.get("adminToken").asText();
        List<String> ids = new ArrayList<>();
        created.get("participants").forEach(p -> ids.add(p.get("participantId").asText()));
        List<Instant> instants = new ArrayList<>(List.of(Instant.now()));
        List<String> teams = new ArrayList<>();
        int names = 0;
        for (Op op : history) {
            String who = ids.get(op.who() % ids.size());
            String team = teams.isEmpty() ? UUID.randomUUID().toString() : teams.get(op.other() % teams.size());
            Http.Response answer = switch (op.kind()) {
                case "add" -> Http.post(uri(board + "/participants"), "{\"name\":\"P" + names++ + "\"}",
                        "Authorization", admin);
                case "rename" -> Http.send("PATCH", uri(board + "/participants/" + who),
                        "{\"name\":\"R" + names++ + "\"}", "Authorization", admin);
                case "remove" -> Http.send("DELETE", uri(board + "/participants/" + who), null, "Authorization", admin);
                case "change" -> Http.post(uri(board + "/participants/" + who + "/score-changes"),
                        "{\"delta\":" + op.amount() + "}", "Authorization", admin);
                case "round" -> Http.post(uri(board + "/rounds"), "{\"deltas\":{\"" + who + "\":" + op.amount()
                        + ",\"" + ids.get(op.other() % ids.size()) + "\":" + op.other() + "}}", "Authorization", admin);
                case "undo" -> Http.post(uri(board + "/undo"), null, "Authorization", admin);
                case "team" -> Http.post(uri(board + "/teams"), "{\"name\":\"T" + names++ + "\"}", "Authorization", admin);
                case "join" -> Http.send("PUT", uri(board + "/participants/" + who + "/team"),
                        "{\"teamId\":\"" + team + "\"}", "Authorization", admin);
                case "leave" -> Http.send("PUT", uri(board + "/participants/" + who + "/team"), "{\"teamId\":null}",
                        "Authorization", admin);
                case "teamRename" -> Http.send("PATCH", uri(board + "/teams/" + team), "{\"name\":\"N" + names++
                        + "\"}", "Authorization", admin);
                case "teamRemove" -> Http.send("DELETE", uri(board + "/teams/" + team), null, "Authorization", admin);
                default -> Http.post(uri(board + "/rewind"), "{\"to\":\"" + instants.get(op.other()
                        % instants.size()) + "\"}", "Authorization", admin);
            };
            assertThat(answer.status()).as("%s: %s", op, answer.body()).isLessThan(500);
            if (op.kind().equals("add") && answer.status() == 201) {
                ids.add(answer.json().get("participantId").asText());
            }
            if (op.kind().equals("team") && answer.status() == 201) {
                teams.add(answer.json().get("teamId").asText());
            }
            instants.add(Instant.now()); // after this write's answer, before the next write: between two events
        }
        Instant to = instants.get((int) (where * (instants.size() - 1)));

        JsonNode rewound = ok(200, Http.post(uri(board + "/rewind"), "{\"to\":\"" + to + "\",\"reason\":\"property\"}",
                "Authorization", admin));
        long position = rewound.get("position").asLong();
        JsonNode now = ok(200, Http.get(system.queryUri(API + board + "?minPosition=" + position)));
        JsonNode then = ok(200, Http.get(system.queryUri(API + board + "?minPosition=" + position + "&asOf=" + to)));

        assertThat(standings(now)).as("after rewinding to %s (history %s)", to, history).isEqualTo(standings(then));
        assertThat(rewound.get("scores").size()).isEqualTo(now.get("participants").size());
        JsonNode teamsNow = ok(200, Http.get(system.queryUri(API + board + "/teams?minPosition=" + position)));
        JsonNode teamsThen = ok(200, Http.get(system.queryUri(API + board + "/teams?minPosition=" + position
                + "&asOf=" + to)));
        assertThat(teamStandings(teamsNow)).as("teams after rewinding to %s (history %s)", to, history)
                .isEqualTo(teamStandings(teamsThen));
    }

    @Provide
    Arbitrary<String> rankings() {
        return Arbitraries.of("STANDARD", "DENSE", "ORDINAL");
    }

    @Provide
    Arbitrary<Double> fractions() {
        return Arbitraries.doubles().between(0, 1);
    }

    /** A rewind is itself rewound: back to before it, the board is as it was before it. */
    @Example
    void aRewindCanItselfBeRewound_andHistoryKeepsBoth() throws Exception {
        JsonNode created = ok(201, Http.post(uri(""), "{\"name\":\"Twice\",\"participants\":[\"Ann\",\"Bob\"]}"));
        String board = "/" + created.get("scoreboardId").asText();
        String admin = "Bearer " + created.get("adminToken").asText();
        String ann = created.get("participants").get(0).get("participantId").asText();
        Instant start = Instant.now();
        ok(200, Http.post(uri(board + "/participants/" + ann + "/score-changes"), "{\"delta\":7}", "Authorization", admin));
        Instant beforeRewind = Instant.now();
        JsonNode first = ok(200, Http.post(uri(board + "/rewind"), "{\"to\":\"" + start + "\"}", "Authorization", admin));
        assertThat(first.get("scores").get(ann).decimalValue()).isEqualByComparingTo("0");
        JsonNode second = ok(200, Http.post(uri(board + "/rewind"), "{\"to\":\"" + beforeRewind + "\",\"reason\":\"undo "
                + "the rewind\"}", "Authorization", admin));
        assertThat(second.get("scores").get(ann).decimalValue()).isEqualByComparingTo("7");
        JsonNode history = ok(200, Http.get(system.queryUri(API + board + "/history?participantId=" + ann
                + "&minPosition=" + second.get("position").asLong())));
        assertThat(history.get("entries")).extracting(e -> e.get("type").asText() + " " + e.get("delta").asText())
                .containsExactly("ScoreboardRewound 7", "ScoreboardRewound -7", "ScoreChanged 7");
        Http.Response undo = Http.post(uri(board + "/undo"), null, "Authorization", admin);
        assertThat(undo.status()).as("undo does not reach past a rewind: %s", undo.body()).isEqualTo(409);
    }

    /**
     * ORDINAL ties go to whoever reached the score first, and a score set to what it already was does not count as
     * reaching it again: a rewind restores who reached it first then, as {@code asOf} shows it.
     */
    @Example
    void ordinalTies_rankAsTheyDidAtTheInstant() throws Exception {
        JsonNode created = ok(201, Http.post(uri(""), "{\"name\":\"Ties\",\"ranking\":\"ORDINAL\","
                + "\"participants\":[\"Ann\",\"Bob\"]}"));
        String board = "/" + created.get("scoreboardId").asText();
        String admin = "Bearer " + created.get("adminToken").asText();
        String ann = created.get("participants").get(0).get("participantId").asText();
        String bob = created.get("participants").get(1).get("participantId").asText();
        ok(200, Http.post(uri(board + "/participants/" + ann + "/score-changes"), "{\"delta\":5}", "Authorization", admin));
        ok(200, Http.post(uri(board + "/participants/" + bob + "/score-changes"), "{\"delta\":5}", "Authorization", admin));
        ok(200, Http.send("PUT", uri(board + "/participants/" + ann + "/score"), "{\"score\":5}", "Authorization", admin));
        Instant tied = Instant.now();
        ok(200, Http.post(uri(board + "/participants/" + ann + "/score-changes"), "{\"delta\":-1}", "Authorization", admin));
        ok(200, Http.post(uri(board + "/participants/" + ann + "/score-changes"), "{\"delta\":1}", "Authorization", admin));

        long position = ok(200, Http.post(uri(board + "/rewind"), "{\"to\":\"" + tied + "\"}", "Authorization", admin))
                .get("position").asLong();
        JsonNode now = ok(200, Http.get(system.queryUri(API + board + "?minPosition=" + position)));
        assertThat(standings(now)).isEqualTo(standings(ok(200, Http.get(system.queryUri(API + board + "?asOf=" + tied)))));
        assertThat(now.get("participants").get(0).get("name").asText()).as("Ann reached 5 first").isEqualTo("Ann");
    }

    /** Teams go back too: a team removed and renamed since comes back as it was, with its members; a later one goes. */
    @Example
    void aRewindRestoresTeams_theirNamesAndWhoWasInWhich() throws Exception {
        JsonNode created = ok(201, Http.post(uri(""), "{\"name\":\"Teams\",\"participants\":[\"Ann\",\"Bob\"]}"));
        String board = "/" + created.get("scoreboardId").asText();
        String admin = "Bearer " + created.get("adminToken").asText();
        String ann = created.get("participants").get(0).get("participantId").asText();
        String bob = created.get("participants").get(1).get("participantId").asText();
        String red = ok(201, Http.post(uri(board + "/teams"), "{\"name\":\"Red\"}", "Authorization", admin))
                .get("teamId").asText();
        ok(200, Http.send("PUT", uri(board + "/participants/" + ann + "/team"), "{\"teamId\":\"" + red + "\"}",
                "Authorization", admin));
        ok(200, Http.post(uri(board + "/participants/" + ann + "/score-changes"), "{\"delta\":5}", "Authorization", admin));
        Instant then = Instant.now();
        ok(200, Http.send("PATCH", uri(board + "/teams/" + red), "{\"name\":\"Crimson\"}", "Authorization", admin));
        ok(200, Http.send("DELETE", uri(board + "/teams/" + red), null, "Authorization", admin));
        String blue = ok(201, Http.post(uri(board + "/teams"), "{\"name\":\"Blue\"}", "Authorization", admin))
                .get("teamId").asText();
        ok(200, Http.send("PUT", uri(board + "/participants/" + bob + "/team"), "{\"teamId\":\"" + blue + "\"}",
                "Authorization", admin));

        long position = ok(200, Http.post(uri(board + "/rewind"), "{\"to\":\"" + then + "\"}", "Authorization", admin))
                .get("position").asLong();
        JsonNode teams = ok(200, Http.get(system.queryUri(API + board + "/teams?minPosition=" + position)));
        assertThat(teamStandings(teams)).containsExactly(red + " Red 5 1 [" + ann + " Ann 5;]");
        JsonNode now = ok(200, Http.get(system.queryUri(API + board + "?minPosition=" + position)));
        assertThat(standings(now)).containsExactly(ann + " Ann 5 1 " + red, bob + " Bob 0 2 null");
        Http.Response joinBlue = Http.send("PUT", uri(board + "/participants/" + ann + "/team"),
                "{\"teamId\":\"" + blue + "\"}", "Authorization", admin);
        assertThat(joinBlue.status()).as("the later team is removed by the rewind: %s", joinBlue.body()).isEqualTo(409);
        assertThat(joinBlue.json().get("code").asText()).isEqualTo("TEAM_REMOVED");
    }

    @Example
    void anInstantBeforeTheBoardOrInTheFuture_isRefused_andChangesNothing() throws Exception {
        Instant before = Instant.now().minusSeconds(5);
        JsonNode created = ok(201, Http.post(uri(""), "{\"name\":\"Edges\",\"participants\":[\"Ann\"]}"));
        String board = "/" + created.get("scoreboardId").asText();
        String admin = "Bearer " + created.get("adminToken").asText();
        for (String body : List.of("{\"to\":\"" + before + "\"}", "{\"to\":\"" + Instant.now().plusSeconds(60) + "\"}",
                "{}", "{\"to\":null}")) {
            Http.Response refused = Http.post(uri(board + "/rewind"), body, "Authorization", admin);
            assertThat(refused.status()).as(body + " -> " + refused.body()).isEqualTo(422);
            assertThat(refused.json().get("code").asText()).isEqualTo("INVALID_INPUT");
        }
        for (String body : List.of("{\"to\":\"yesterday\"}", "{\"to\":\"2026-12-07T10:00:00\"}")) {
            assertThat(Http.post(uri(board + "/rewind"), body, "Authorization", admin).status()).as(body).isEqualTo(400);
        }
        Http.Response byKeeper = Http.post(uri(board + "/rewind"), "{\"to\":\"" + Instant.now() + "\"}",
                "Authorization", "Bearer " + created.get("scorekeeperToken").asText());
        assertThat(byKeeper.status()).isEqualTo(403);
        JsonNode read = ok(200, Http.get(system.queryUri(API + board + "?minPosition=" + created.get("position").asLong())));
        assertThat(read.get("version").asLong()).as("nothing was stored").isEqualTo(created.get("version").asLong());
    }

    /** Each participant as the board lists it: id, name, score (exact), rank, team; in the listing's order. */
    private static List<String> standings(JsonNode board) {
        List<String> rows = new ArrayList<>();
        board.get("participants").forEach(p -> rows.add(p.get("participantId").asText() + " " + p.get("name").asText()
                + " " + exact(p.get("score")) + " " + p.get("rank").asText() + " " + p.path("teamId").asText()));
        return rows;
    }

    /** Each team as /teams lists it: id, name, score, rank and its members (id, name, score); in the listing's order. */
    private static List<String> teamStandings(JsonNode answer) {
        List<String> rows = new ArrayList<>();
        answer.get("teams").forEach(t -> {
            StringBuilder row = new StringBuilder(t.get("teamId").asText() + " " + t.get("name").asText() + " "
                    + exact(t.get("score")) + " " + t.get("rank").asText() + " [");
            t.get("members").forEach(m -> row.append(m.get("participantId").asText()).append(' ')
                    .append(m.get("name").asText()).append(' ').append(exact(m.get("score"))).append(';'));
            rows.add(row.append(']').toString());
        });
        return rows;
    }

    private static String exact(JsonNode score) {
        return new BigDecimal(score.asText()).stripTrailingZeros().toPlainString();
    }

    private static URI uri(String path) {
        return system.commandUri(API + path);
    }

    private static JsonNode ok(int status, Http.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        return response.json();
    }

    @SuppressWarnings("unused")
    private static UUID id(JsonNode node) {
        return UUID.fromString(node.asText());
    }
}
