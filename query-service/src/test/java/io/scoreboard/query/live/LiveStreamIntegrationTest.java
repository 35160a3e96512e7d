package io.scoreboard.query.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.ParticipantTeamChangedEvent;
import io.scoreboard.events.TeamCreatedEvent;
import io.scoreboard.events.TeamRemovedEvent;
import io.scoreboard.events.TeamRenamedEvent;
import io.scoreboard.events.Ranking;
import io.scoreboard.events.RewoundParticipant;
import io.scoreboard.events.RewoundTeam;
import io.scoreboard.events.ScoreboardRewoundEvent;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.projections.BoardEvents;
import io.scoreboard.query.QueryTestApplication;
import io.scoreboard.query.projection.ProjectionRunner;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The live stream end to end: events published to a real broker as the command side does, projected into a
 * real PostgreSQL read database, streamed over HTTP as server-sent events and read by a real client. The
 * client keeps its own copy of the board from the snapshot and the changes, and it must equal what
 * {@code GET /{id}} answers after every change.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class LiveStreamIntegrationTest {

    private static final QueryTestApplication app = new QueryTestApplication("live").createTopic();
    private static final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final HttpClient http = HttpClient.newHttpClient();
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final int STREAMS_PER_CLIENT = 6;
    private static final int MAX_QUEUED_BYTES = 2 * 1024 * 1024;

    @LocalServerPort
    private int port;

    @Autowired
    private LiveHub hub;

    @Autowired
    private io.micrometer.core.instrument.MeterRegistry meters;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        app.properties().forEach((key, value) -> registry.add(key, () -> value));
        registry.add("scoreboard.live.max-streams-per-client", () -> Integer.toString(STREAMS_PER_CLIENT));
        registry.add("scoreboard.live.heartbeat", () -> "1s");
        registry.add("scoreboard.live.max-queued-bytes", () -> Integer.toString(MAX_QUEUED_BYTES));
        registry.add("scoreboard.live.slow-viewer-timeout", () -> "3s");
    }

    @AfterAll
    static void tearDown(@Autowired ProjectionRunner runner) {
        runner.stop(Duration.ofSeconds(10));
        app.close();
    }

    /**
     * Each test starts with every earlier test's streams released: a client address holds at most
     * {@code STREAMS_PER_CLIENT} streams, and a closed one is given back only when the server notices (its next
     * heartbeat). Without this a test that opened its stream right after streams of earlier tests got a 429, and
     * waited for a snapshot that never came.
     */
    @BeforeEach
    void earlierStreamsReleased() throws InterruptedException {
        awaitEarlierStreamsReleased();
    }

    @Test
    void snapshotThenOneChangePerEvent_andTheViewersCopyEqualsTheBoardAfterEach() throws Exception {
        BoardEvents board = new BoardEvents();
        EventEnvelope last;
        app.topic().publish(board.created("Quiz", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD),
                board.added("Ann"), board.added("Bob"), board.added("Cid"),
                board.scoreSet("Ann", "3"), board.scoreSet("Bob", "2"), last = board.scoreSet("Cid", "1"));
        awaitPosition(board.id(), last.position());

        try (SseStream stream = SseStream.open(liveUrl(board.id()), null)) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
            SseStream.Event snapshot = stream.next(PATIENCE);
            assertThat(snapshot.event()).isEqualTo("snapshot");
            assertThat(snapshot.id()).isEqualTo(Long.toString(last.position()));
            JsonNode body = json.readTree(snapshot.data());
            assertThat(body.get("position").asLong()).isEqualTo(last.position());
            JsonNode get = board(board.id(), last.position());
            for (String field : List.of("scoreboardId", "name", "scoreOrder", "ranking", "deleted", "version", "participants",
                    "teams")) {
                assertThat(body.get(field)).as(field).isEqualTo(get.get(field));
            }

            // Cid from 3rd to 1st: Cid's score and rank change, and so do the ranks of Ann and Bob.
            EventEnvelope moved = board.scoreSet("Cid", "10.5");
            app.topic().publish(moved);
            SseStream.Event change = stream.next(PATIENCE);
            assertThat(change.event()).isEqualTo("change");
            assertThat(change.id()).isEqualTo(Long.toString(moved.position()));
            JsonNode data = json.readTree(change.data());
            assertThat(data.get("position").asLong()).isEqualTo(moved.position());
            assertThat(data.get("version").asLong()).isEqualTo(moved.sequenceNumber());
            assertThat(data.get("type").asText()).isEqualTo("ScoreChanged");
            assertThat(data.has("board")).isFalse();
            assertThat(data.get("participants").toString()).isEqualTo("["
                    + participant(board.participant("Cid"), "Cid", "10.5", 1) + ","
                    + participant(board.participant("Ann"), "Ann", "3", 2) + ","
                    + participant(board.participant("Bob"), "Bob", "2", 3) + "]");

            // A rename changes neither score nor rank, but the name: only that participant.
            EventEnvelope renamed = board.participantRenamed("Bob", "Bobby");
            app.topic().publish(renamed);
            data = json.readTree(stream.next(PATIENCE).data());
            assertThat(data.get("participants").toString())
                    .isEqualTo("[" + participant(board.participant("Bobby"), "Bobby", "2", 3) + "]");

            // The board's own rules: every rank flips, and the change says so.
            app.topic().publish(board.rulesChanged(ScoreOrder.LOWEST_FIRST, Ranking.DENSE));
            data = json.readTree(stream.next(PATIENCE).data());
            assertThat(data.get("type").asText()).isEqualTo("RankingRulesChanged");
            assertThat(data.get("board").toString())
                    .isEqualTo("{\"name\":\"Quiz\",\"scoreOrder\":\"LOWEST_FIRST\",\"ranking\":\"DENSE\"}");
            // Bobby 3rd → 1st, Cid 1st → 3rd; Ann stays 2nd and is not listed.
            assertThat(data.get("participants").toString()).isEqualTo("["
                    + participant(board.participant("Bobby"), "Bobby", "2", 1) + ","
                    + participant(board.participant("Cid"), "Cid", "10.5", 3) + "]");

            // Heartbeats keep it open while nothing happens (1 s in this test).
            Thread.sleep(2_500);
            assertThat(stream.comments()).isGreaterThanOrEqualTo(1);
        }
    }

    /**
     * Teams (ADR 0046): the snapshot lists the board's teams and each participant's team; a team's creation,
     * rename and removal each come as a change naming the team; a participant changing team is listed with its
     * new teamId, and a removed team's members with none. The viewer's copy equals the board after them.
     */
    @Test
    void teamChanges_areStreamed_withTheTeamsAndEachChangedParticipantsTeam() throws Exception {
        BoardEvents board = new BoardEvents();
        UUID red = UUID.randomUUID();
        UUID blue = UUID.randomUUID();
        EventEnvelope last;
        EventEnvelope bobAdded;
        app.topic().publish(board.created("Teams", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD),
                board.added("Ann"), bobAdded = board.added("Bob"), board.scoreSet("Ann", "5"),
                board.next(new TeamCreatedEvent(board.id(), red, "Red", null)),
                last = board.next(new ParticipantTeamChangedEvent(board.id(), board.participant("Ann"), red, null)));
        awaitPosition(board.id(), last.position());

        try (SseStream stream = SseStream.open(liveUrl(board.id()), null)) {
            ClientCopy copy = new ClientCopy();
            JsonNode snapshot = json.readTree(stream.next(PATIENCE).data());
            copy.snapshot(snapshot);
            assertThat(snapshot.get("teams").toString()).isEqualTo("[{\"teamId\":\"" + red + "\",\"name\":\"Red\"}]");
            assertThat(snapshot.at("/participants/0/teamId").asText()).isEqualTo(red.toString());
            assertThat(snapshot.at("/participants/1/teamId").isNull()).isTrue();

            EventEnvelope created = board.next(new TeamCreatedEvent(board.id(), blue, "Blue", null));
            app.topic().publish(created);
            JsonNode data = json.readTree(stream.next(PATIENCE).data());
            assertThat(data.get("type").asText()).isEqualTo("TeamCreated");
            assertThat(data.get("version").asLong()).isEqualTo(created.sequenceNumber());
            assertThat(data.get("participants")).isEmpty();
            assertThat(data.get("teams").toString()).isEqualTo("[{\"teamId\":\"" + blue + "\",\"name\":\"Blue\"}]");
            copy.apply(data);

            app.topic().publish(board.next(new ParticipantTeamChangedEvent(board.id(), board.participant("Bob"), blue,
                    null)));
            data = json.readTree(stream.next(PATIENCE).data());
            assertThat(data.get("type").asText()).isEqualTo("ParticipantTeamChanged");
            assertThat(data.get("participants").toString())
                    .isEqualTo("[" + participant(board.participant("Bob"), "Bob", "0", 2, blue) + "]");
            assertThat(data.has("teams")).isFalse();
            copy.apply(data);

            app.topic().publish(board.next(new TeamRenamedEvent(board.id(), red, "Crimson", null)));
            data = json.readTree(stream.next(PATIENCE).data());
            assertThat(data.get("participants")).isEmpty();
            assertThat(data.get("teams").toString())
                    .isEqualTo("[{\"teamId\":\"" + red + "\",\"name\":\"Crimson\"}]");
            copy.apply(data);

            EventEnvelope removed = board.next(new TeamRemovedEvent(board.id(), red, null));
            app.topic().publish(removed);
            data = json.readTree(stream.next(PATIENCE).data());
            assertThat(data.get("type").asText()).isEqualTo("TeamRemoved");
            assertThat(data.get("participants").toString())
                    .isEqualTo("[" + participant(board.participant("Ann"), "Ann", "5", 1, null) + "]");
            assertThat(data.get("teams").toString())
                    .isEqualTo("[{\"teamId\":\"" + red + "\",\"name\":\"Crimson\",\"removed\":true}]");
            copy.apply(data);

            JsonNode now = board(board.id(), removed.position());
            assertThat(copy.participants()).isEqualTo(ClientCopy.of(now));
            assertThat(now.get("teams").toString()).isEqualTo("[{\"teamId\":\"" + blue + "\",\"name\":\"Blue\"}]");

            // A rewind to when Ann had just joined Red: Red is back under its old name, Blue gone, Bob teamless.
            EventEnvelope rewound = board.next(new ScoreboardRewoundEvent(board.id(), last.occurredAt(), null, List.of(
                    new RewoundParticipant(board.participant("Ann"), "Ann", new BigDecimal("5"), false, 0, red),
                    new RewoundParticipant(board.participant("Bob"), "Bob", BigDecimal.ZERO, false,
                            bobAdded.position(), null)),
                    null, List.of(new RewoundTeam(red, "Red", false), new RewoundTeam(blue, "Blue", true))));
            app.topic().publish(rewound);
            data = json.readTree(stream.next(PATIENCE).data());
            assertThat(data.get("type").asText()).isEqualTo("ScoreboardRewound");
            assertThat(data.get("participants").toString()).isEqualTo("["
                    + participant(board.participant("Ann"), "Ann", "5", 1, red) + ","
                    + participant(board.participant("Bob"), "Bob", "0", 2, null) + "]");
            assertThat(data.get("teams")).containsExactlyInAnyOrder(
                    json.readTree("{\"teamId\":\"" + red + "\",\"name\":\"Red\"}"),
                    json.readTree("{\"teamId\":\"" + blue + "\",\"name\":\"Blue\",\"removed\":true}"));
            copy.apply(data);
            JsonNode back = board(board.id(), rewound.position());
            assertThat(copy.participants()).isEqualTo(ClientCopy.of(back));
            assertThat(back.get("teams").toString()).isEqualTo("[{\"teamId\":\"" + red + "\",\"name\":\"Red\"}]");
        }
    }

    @Test
    void everyKindOfEvent_streamedInOrderWithoutGaps_equalsTheBoard() throws Exception {
        BoardEvents board = new BoardEvents();
        app.topic().publish(board.created("Mixed", ScoreOrder.HIGHEST_FIRST, Ranking.ORDINAL), board.added("P0"));
        awaitPosition(board.id(), 0);
        try (SseStream stream = SseStream.open(liveUrl(board.id()), null)) {
            ClientCopy copy = new ClientCopy();
            copy.snapshot(json.readTree(stream.next(PATIENCE).data()));
            Random random = new Random(7);
            List<String> names = new ArrayList<>(List.of("P0"));
            List<EventEnvelope> published = new ArrayList<>();
            for (int i = 1; i <= 60; i++) {
                int what = random.nextInt(10);
                EventEnvelope event;
                if (what < 2 || names.size() < 3) {
                    names.add("P" + i);
                    event = board.added("P" + i);
                } else if (what < 6) {
                    event = board.scoreSet(names.get(random.nextInt(names.size())), Integer.toString(random.nextInt(5)));
                } else if (what < 7) {
                    event = board.round("round " + i, names.get(0) + "=" + random.nextInt(5),
                            names.get(names.size() - 1) + "=" + random.nextInt(5));
                } else if (what < 8) {
                    event = board.undo();
                } else if (what < 9 && names.size() > 3) {
                    event = board.removed(names.remove(random.nextInt(names.size())));
                } else {
                    event = board.rulesChanged(random.nextBoolean() ? ScoreOrder.LOWEST_FIRST : ScoreOrder.HIGHEST_FIRST,
                            Ranking.values()[random.nextInt(3)]);
                }
                published.add(event);
            }
            app.topic().publish(published.toArray(EventEnvelope[]::new));
            long version = 1;
            for (EventEnvelope event : published) {
                SseStream.Event change = stream.next(PATIENCE);
                assertThat(change.event()).isEqualTo("change");
                JsonNode data = json.readTree(change.data());
                assertThat(data.get("version").asLong()).isEqualTo(++version).isEqualTo(event.sequenceNumber());
                assertThat(data.get("position").asLong()).isEqualTo(event.position());
                copy.apply(data);
            }
            assertThat(copy.participants()).isEqualTo(ClientCopy.of(board(board.id(), published.get(published.size() - 1).position())));
        }
    }

    @Test
    void aReconnectWithLastEventId_getsExactlyTheChangesAfterIt_orASnapshotWhenItIsNotOneOfTheBoards() throws Exception {
        BoardEvents board = new BoardEvents();
        EventEnvelope last;
        app.topic().publish(board.created("Resume", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD),
                board.added("Ann"), last = board.added("Bob"));
        awaitPosition(board.id(), last.position());
        String lastSeen;
        ClientCopy copy = new ClientCopy();
        try (SseStream stream = SseStream.open(liveUrl(board.id()), null)) {
            SseStream.Event snapshot = stream.next(PATIENCE);
            copy.snapshot(json.readTree(snapshot.data()));
            lastSeen = snapshot.id();
        }
        List<EventEnvelope> missed = List.of(board.scoreSet("Bob", "4"), board.scoreSet("Ann", "5"),
                board.round("final", "Ann=6", "Bob=9"));
        app.topic().publish(missed.toArray(EventEnvelope[]::new));
        awaitPosition(board.id(), missed.get(2).position());

        try (SseStream stream = SseStream.open(liveUrl(board.id()), lastSeen)) {
            for (EventEnvelope event : missed) {
                SseStream.Event change = stream.next(PATIENCE);
                assertThat(change.event()).isEqualTo("change");
                assertThat(change.id()).isEqualTo(Long.toString(event.position()));
                copy.apply(json.readTree(change.data()));
            }
            assertThat(stream.poll(Duration.ofMillis(500))).as("nothing twice").isNull();
            assertThat(copy.participants()).isEqualTo(ClientCopy.of(board(board.id(), missed.get(2).position())));
        }
        // Resuming from the middle: only what came after it.
        try (SseStream stream = SseStream.open(liveUrl(board.id()), Long.toString(missed.get(0).position()))) {
            assertThat(stream.next(PATIENCE).id()).isEqualTo(Long.toString(missed.get(1).position()));
            assertThat(stream.next(PATIENCE).id()).isEqualTo(Long.toString(missed.get(2).position()));
        }
        // A position that is none of this board's events: a fresh snapshot, nothing guessed.
        try (SseStream stream = SseStream.open(liveUrl(board.id()), Long.toString(missed.get(0).position() + 1_000_000))) {
            SseStream.Event snapshot = stream.next(PATIENCE);
            assertThat(snapshot.event()).isEqualTo("snapshot");
            assertThat(snapshot.id()).isEqualTo(Long.toString(missed.get(2).position()));
        }
    }

    @Test
    void aDeletedBoardEndsTheStream_andThenAnswers404() throws Exception {
        BoardEvents board = new BoardEvents();
        EventEnvelope last;
        app.topic().publish(board.created("Gone", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD), last = board.added("Ann"));
        awaitPosition(board.id(), last.position());
        try (SseStream stream = SseStream.open(liveUrl(board.id()), null)) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.next(PATIENCE).event()).isEqualTo("snapshot");
            EventEnvelope deleted = board.deleted();
            app.topic().publish(deleted);
            SseStream.Event change = stream.next(PATIENCE);
            assertThat(json.readTree(change.data()).get("type").asText()).isEqualTo("ScoreboardDeleted");
            assertThat(stream.next(PATIENCE)).isSameAs(SseStream.END);
        }
        try (SseStream again = SseStream.open(liveUrl(board.id()), null)) {
            assertThat(again.status()).isEqualTo(404);
            assertThat(again.response.headers().firstValue("Content-Type").orElse("")).contains("problem+json");
        }
    }

    @Test
    void refusals_unknownBoard404_badLastEventId400_tooManyStreams429() throws Exception {
        try (SseStream unknown = SseStream.open(liveUrl(UUID.randomUUID()), null)) {
            assertThat(unknown.status()).isEqualTo(404);
        }
        BoardEvents board = new BoardEvents();
        EventEnvelope last;
        app.topic().publish(board.created("Busy", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD), last = board.added("Ann"));
        awaitPosition(board.id(), last.position());
        try (SseStream bad = SseStream.open(liveUrl(board.id()), "yesterday")) {
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.body()).contains("Last-Event-ID");
        }
        awaitEarlierStreamsReleased();
        List<SseStream> open = new ArrayList<>();
        try {
            for (int i = 0; i < STREAMS_PER_CLIENT; i++) {
                SseStream stream = SseStream.open(liveUrl(board.id()), null);
                open.add(stream);
                assertThat(stream.status()).isEqualTo(200);
                assertThat(stream.next(PATIENCE).event()).isEqualTo("snapshot");
            }
            try (SseStream refused = SseStream.open(liveUrl(board.id()), null)) {
                assertThat(refused.status()).isEqualTo(429);
                assertThat(refused.response.headers().firstValue("Retry-After")).isPresent();
                assertThat(refused.body()).contains("scoreboard.live.max-streams-per-client");
            }
            // ... and closes its connection (a keep-alive one would stay open, idle, for every refused retry).
            try (java.net.Socket raw = new java.net.Socket("127.0.0.1", port)) {
                raw.getOutputStream().write(("GET /api/v1/scoreboards/" + board.id() + "/live HTTP/1.1\r\nHost: x\r\n"
                        + "Accept: text/event-stream\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                raw.setSoTimeout(10_000); // readAllBytes ends only when the server closes the connection
                assertThat(new String(raw.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                        .startsWith("HTTP/1.1 429");
            }
            open.remove(0).close();
            // The place is given back once the server notices the closed connection (at the latest its heartbeat).
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (true) {
                SseStream retry = SseStream.open(liveUrl(board.id()), null);
                if (retry.status() == 200) {
                    open.add(retry);
                    break;
                }
                retry.close();
                assertThat(System.nanoTime()).as("a closed stream's place is given back").isLessThan(deadline);
                Thread.sleep(200);
            }
        } finally {
            for (SseStream stream : open) {
                stream.close();
            }
        }
    }

    @Test
    void aViewerThatDoesNotRead_isDropped_whileAnotherOnTheSameBoardGetsEveryChange() throws Exception {
        BoardEvents board = new BoardEvents();
        List<EventEnvelope> setup = new ArrayList<>();
        setup.add(board.created("Busy", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD));
        for (int i = 0; i < 20; i++) {
            setup.add(board.added("Player " + i));
        }
        app.topic().publish(setup.toArray(EventEnvelope[]::new));
        awaitPosition(board.id(), setup.get(setup.size() - 1).position());

        // The other tests' streams are closed, and count against this address until the server notices (at its
        // next write, a heartbeat every second): the stalled request must not be refused (a 429 is not a viewer).
        awaitEarlierStreamsReleased();
        try (java.net.Socket stalled = new java.net.Socket();
             SseStream reading = SseStream.open(liveUrl(board.id()), null)) {
            stalled.setReceiveBufferSize(4096); // it never reads: what the server sends piles up on its side
            stalled.connect(new java.net.InetSocketAddress("127.0.0.1", port));
            stalled.getOutputStream().write(("GET /api/v1/scoreboards/" + board.id() + "/live HTTP/1.1\r\nHost: x\r\n"
                    + "Accept: text/event-stream\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertThat(reading.next(PATIENCE).event()).isEqualTo("snapshot");
            long joined = System.nanoTime() + PATIENCE.toNanos();
            while (hub.openStreams() < 2) {
                assertThat(System.nanoTime()).as("the stalled request became a stream").isLessThan(joined);
                Thread.sleep(50);
            }
            // 30,000 score changes (about 7 MB of change messages): more than the stalled connection's kernel buffers
            // (up to 4 MB) and the backlog bound together.
            List<EventEnvelope> changes = new ArrayList<>();
            for (int i = 0; i < 30_000; i++) {
                changes.add(board.scoreSet("Player " + (i % 20), Integer.toString(i + 1)));
            }
            double droppedBefore = droppedAsSlow();
            app.topic().publish(changes.toArray(EventEnvelope[]::new));
            for (EventEnvelope change : changes) {
                SseStream.Event event = reading.next(PATIENCE);
                assertThat(event.id()).isEqualTo(Long.toString(change.position()));
                assertThat(json.readTree(event.data()).get("participants")).isNotEmpty(); // the one scored, and whoever it passed
            }
            // The stalled viewer is dropped (for its backlog, or after the slow-viewer timeout without taking data).
            // Only then is its socket read: reading it earlier would make it a viewer that takes data, not a stuck one.
            long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
            while (droppedAsSlow() == droppedBefore) {
                assertThat(System.nanoTime()).as("the stalled viewer is dropped within 45 s").isLessThan(deadline);
                Thread.sleep(100);
            }
            // Its connection then ends, after what the buffers held, without the last changes.
            stalled.setSoTimeout(60_000);
            String received = new String(stalled.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(received).startsWith("HTTP/1.1 200")
                    .doesNotContain("id: " + changes.get(changes.size() - 1).position() + "\n");
        }
    }

    /**
     * A burst of ~110 KB changes (11 MB in all, far beyond the 2 MiB backlog bound) while the viewer pauses: it is
     * dropped, resumes with its last event id (a backlog past the bound answers with a new snapshot), and may be dropped
     * again. Whatever happens, everything it receives is whole (before the drop closed the connection without the
     * rest, Tomcat sent a change with its middle missing that still ended like a whole event), nothing repeats, and
     * it ends with the board after the last change.
     */
    @Test
    void largeChanges_reachAViewerWhole_acrossDropsAndResumes() throws Exception {
        awaitEarlierStreamsReleased();
        BoardEvents board = new BoardEvents();
        List<EventEnvelope> setup = new ArrayList<>();
        setup.add(board.created("Crowded", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD));
        for (int i = 0; i < 1000; i++) {
            setup.add(board.added("Player " + i));
            setup.add(board.scoreSet("Player " + i, Integer.toString(i)));
        }
        app.topic().publish(setup.toArray(EventEnvelope[]::new));
        awaitPosition(board.id(), setup.get(setup.size() - 1).position());
        List<EventEnvelope> flips = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            // Each flip of the order changes every rank: a change of 1,000 participants, about 110 KB.
            flips.add(board.rulesChanged(i % 2 == 0 ? ScoreOrder.LOWEST_FIRST : ScoreOrder.HIGHEST_FIRST,
                    Ranking.STANDARD));
        }
        long last = flips.get(flips.size() - 1).position();
        long seen = -1; // the position the viewer's copy stands at
        String lastEventId = null;
        int streams = 0;
        long deadline = System.nanoTime() + PATIENCE.toNanos() * 3;
        while (seen < last) {
            assertThat(System.nanoTime()).as("the last change within the deadline").isLessThan(deadline);
            try (SseStream reading = SseStream.open(liveUrl(board.id()), lastEventId)) {
                assertThat(reading.status()).isEqualTo(200);
                streams++;
                while (seen < last) {
                    SseStream.Event event = reading.next(PATIENCE);
                    if (event == SseStream.END) {
                        break; // dropped: resume
                    }
                    JsonNode data = json.readTree(event.data());
                    assertThat(data.get("participants")).as("%s %s whole", event.event(), event.id()).hasSize(1000);
                    long position = Long.parseLong(event.id());
                    if (event.event().equals("snapshot")) {
                        assertThat(position).isGreaterThanOrEqualTo(seen);
                    } else {
                        assertThat(event.event()).isEqualTo("change");
                        assertThat(position).as("no change twice, none out of order").isGreaterThan(seen);
                    }
                    if (streams == 1 && seen < 0) {
                        reading.pause(Duration.ofSeconds(2)); // falls behind the burst below: dropped, then resumes
                        app.topic().publish(flips.toArray(EventEnvelope[]::new));
                    }
                    seen = position;
                    lastEventId = event.id();
                }
            }
        }
        assertThat(seen).isEqualTo(last);
        assertThat(streams).as("dropped at least once").isGreaterThan(1);
    }

    /** The other tests' streams are closed; the server notices at its next write (a heartbeat, every second). */
    private void awaitEarlierStreamsReleased() throws InterruptedException {
        long settled = System.nanoTime() + PATIENCE.toNanos();
        while (hub.openStreams() > 0 && System.nanoTime() < settled) {
            Thread.sleep(100);
        }
        assertThat(hub.openStreams()).as("streams of earlier tests released").isZero();
    }

    private double droppedAsSlow() {
        return meters.counter("scoreboard.live.ended", "reason", "slow").count();
    }

    /**
     * A private board's stream needs one of its tokens (?token=, as the page's EventSource sends it); a viewer whose
     * token is revoked is cut off at once, before the revocation's change, while one with a working token goes on.
     */
    @Test
    void aPrivateBoardsViewer_isCutOffWhenItsTokenIsRevoked() throws Exception {
        BoardEvents board = new BoardEvents();
        java.util.UUID admin = io.scoreboard.events.FirstTokens.adminTokenId(board.id());
        java.util.UUID screen = java.util.UUID.randomUUID();
        EventEnvelope issued;
        app.topic().publish(
                board.next(new io.scoreboard.events.ScoreboardCreatedEvent(board.id(), "Secret", ScoreOrder.HIGHEST_FIRST,
                        Ranking.STANDARD, io.scoreboard.events.TokenHash.of("sba_owner"), io.scoreboard.events.TokenHash.of("sbs_k"),
                        io.scoreboard.events.Visibility.PRIVATE)),
                board.added("Ann"),
                issued = board.next(new io.scoreboard.events.TokenIssuedEvent(board.id(), screen,
                        io.scoreboard.events.TokenKind.READER, "Screen", io.scoreboard.events.TokenHash.of("sbr_screen"), admin)));
        HttpResponse<String> read = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/api/v1/scoreboards/" + board.id() + "?minPosition=" + issued.position()))
                .header("Authorization", "Bearer sba_owner").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);

        try (SseStream anonymous = SseStream.open(liveUrl(board.id()), null)) {
            assertThat(anonymous.status()).isEqualTo(404);
        }
        try (SseStream wall = SseStream.open(liveUrl(board.id()) + "?token=sbr_screen", null);
             SseStream owner = SseStream.open(liveUrl(board.id()) + "?token=sba_owner", null)) {
            assertThat(wall.status()).isEqualTo(200);
            assertThat(wall.next(PATIENCE).event()).isEqualTo("snapshot");
            assertThat(owner.next(PATIENCE).event()).isEqualTo("snapshot");

            EventEnvelope revoked = board.next(new io.scoreboard.events.TokenRevokedEvent(board.id(), screen, admin));
            app.topic().publish(revoked);

            SseStream.Event change = owner.next(PATIENCE);
            assertThat(change.event()).isEqualTo("change");
            assertThat(change.id()).isEqualTo(Long.toString(revoked.position()));
            assertThat(wall.next(PATIENCE)).as("cut off before the revocation's change").isEqualTo(SseStream.END);
        }
        try (SseStream again = SseStream.open(liveUrl(board.id()) + "?token=sbr_screen", null)) {
            assertThat(again.status()).as("the revoked token opens nothing").isEqualTo(404);
        }
    }

    private String liveUrl(UUID board) {
        return "http://127.0.0.1:" + port + "/api/v1/scoreboards/" + board + "/live";
    }

    private JsonNode board(UUID id, long minPosition) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/api/v1/scoreboards/" + id + "?minPosition=" + minPosition)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private void awaitPosition(UUID id, long position) throws Exception {
        board(id, position);
    }

    private static String participant(UUID id, String name, String score, long rank) {
        return participant(id, name, score, rank, null);
    }

    private static String participant(UUID id, String name, String score, long rank, UUID teamId) {
        return "{\"participantId\":\"" + id + "\",\"name\":\"" + name + "\",\"score\":" + score + ",\"rank\":" + rank
                + ",\"teamId\":" + (teamId == null ? "null" : "\"" + teamId + "\"") + "}";
    }

    /** A viewer's own copy of the board: participant id to "name|score|rank". */
    private static final class ClientCopy {
        private final Map<String, String> participants = new TreeMap<>();

        void snapshot(JsonNode snapshot) {
            participants.clear();
            participants.putAll(of(snapshot));
        }

        void apply(JsonNode change) {
            for (JsonNode p : change.get("participants")) {
                if (p.has("removed") && p.get("removed").asBoolean()) {
                    participants.remove(p.get("participantId").asText());
                } else {
                    participants.put(p.get("participantId").asText(), line(p));
                }
            }
        }

        Map<String, String> participants() {
            return participants;
        }

        static Map<String, String> of(JsonNode board) {
            Map<String, String> map = new TreeMap<>();
            for (JsonNode p : board.get("participants")) {
                map.put(p.get("participantId").asText(), line(p));
            }
            return map;
        }

        private static String line(JsonNode p) {
            return p.get("name").asText() + "|" + new BigDecimal(p.get("score").asText()).stripTrailingZeros().toPlainString()
                    + "|" + p.get("rank").asLong() + "|" + p.get("teamId").asText();
        }
    }
}
