package io.scoreboard.query.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.projections.BoardEvents;
import io.scoreboard.query.QueryTestApplication;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Live streams where a cluster has them: two query-service instances sharing the topic's partitions (a viewer
 * on either gets every change of its board, whichever instance applied it), and the read database dropped and
 * rebuilt under open streams (the viewers get a new snapshot of the rebuilt board, then its changes, and nothing
 * they were shown is wrong).
 */
class LiveStreamFaultsIntegrationTest {

    private static final QueryTestApplication app = new QueryTestApplication("live-faults").createTopic();
    private static final ObjectMapper json = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @AfterAll
    static void tearDown() {
        app.close();
    }

    @Test
    void viewersOnEitherInstance_getEveryChangeInOrder_andANewSnapshotAfterTheReadDatabaseIsRebuilt() throws Exception {
        List<BoardEvents> boards = new ArrayList<>();
        for (int i = 0; i < 6; i++) { // spread over the three partitions by their keys
            BoardEvents board = new BoardEvents();
            boards.add(board);
            app.topic().publish(board.created("Board " + i, ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD),
                    board.added("Ann"), board.added("Bob"));
        }
        Map<String, String> fastRebalance = Map.of("scoreboard.kafka.session-timeout", "6s");
        try (ConfigurableApplicationContext first = app.start(fastRebalance);
             ConfigurableApplicationContext second = app.start(fastRebalance)) {
            app.awaitInstancesHavePartitions(2, PATIENCE);
            List<SseStream> streams = new ArrayList<>();
            try {
                for (BoardEvents board : boards) {
                    for (ConfigurableApplicationContext instance : List.of(first, second)) {
                        SseStream stream = awaitStream(instance, board);
                        assertThat(stream.next(PATIENCE).event()).isEqualTo("snapshot");
                        streams.add(stream);
                    }
                }
                List<List<EventEnvelope>> published = new ArrayList<>();
                for (BoardEvents board : boards) {
                    List<EventEnvelope> events = List.of(board.scoreSet("Ann", "1"), board.scoreSet("Bob", "2"),
                            board.round("r", "Ann=5", "Bob=1"), board.participantRenamed("Bob", "Rob"));
                    published.add(events);
                    app.topic().publish(events.toArray(EventEnvelope[]::new));
                }
                for (int b = 0; b < boards.size(); b++) {
                    for (SseStream stream : streams.subList(2 * b, 2 * b + 2)) {
                        for (EventEnvelope event : published.get(b)) {
                            SseStream.Event change = stream.next(PATIENCE);
                            assertThat(change.event()).isEqualTo("change");
                            assertThat(change.id()).isEqualTo(Long.toString(event.position()));
                        }
                    }
                }

                // The read database is dropped and recreated empty: the instances rebuild it from the topic.
                app.databases().recreateReadDatabase();
                List<EventEnvelope> after = new ArrayList<>();
                for (BoardEvents board : boards) {
                    EventEnvelope change = board.scoreSet("Rob", "9");
                    after.add(change);
                    app.topic().publish(change);
                }
                for (int b = 0; b < boards.size(); b++) {
                    for (SseStream stream : streams.subList(2 * b, 2 * b + 2)) {
                        // Whatever comes first is a snapshot of the board as rebuilt; then changes continue from it
                        // without a gap, up to the change made after the drop.
                        SseStream.Event snapshot = stream.next(PATIENCE);
                        assertThat(snapshot.event()).isEqualTo("snapshot");
                        JsonNode board = json.readTree(snapshot.data());
                        long version = board.get("version").asLong();
                        long position = board.get("position").asLong();
                        assertThat(version).isLessThanOrEqualTo(after.get(b).sequenceNumber());
                        while (position < after.get(b).position()) {
                            SseStream.Event change = stream.next(PATIENCE);
                            assertThat(change.event()).isEqualTo("change");
                            JsonNode data = json.readTree(change.data());
                            assertThat(data.get("version").asLong()).isEqualTo(++version);
                            position = data.get("position").asLong();
                        }
                        assertThat(position).isEqualTo(after.get(b).position());
                    }
                }
            } finally {
                for (SseStream stream : streams) {
                    stream.close();
                }
            }
        }
    }

    @Test
    void aDeletedAndRecreatedTopic_streamsGoOn_withoutARepeatOrAGap() throws Exception {
        BoardEvents board = new BoardEvents();
        EventEnvelope created = board.created("Recreated", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD);
        EventEnvelope added = board.added("Ann");
        EventEnvelope scored = board.scoreSet("Ann", "1");
        app.topic().publish(created, added, scored);
        try (ConfigurableApplicationContext instance = app.start();
             SseStream stream = awaitStream(instance, board)) {
            SseStream.Event snapshot = stream.next(PATIENCE);
            assertThat(snapshot.event()).isEqualTo("snapshot");
            assertThat(snapshot.id()).isEqualTo(Long.toString(scored.position()));

            // The topic is lost and republished from the event store (the same events, once each), then moves on.
            app.topic().recreate();
            EventEnvelope next = board.scoreSet("Ann", "2");
            app.topic().publish(created, added, scored, next);
            SseStream.Event change = stream.next(PATIENCE);
            assertThat(change.event()).isEqualTo("change");
            assertThat(change.id()).isEqualTo(Long.toString(next.position()));
            assertThat(stream.poll(Duration.ofSeconds(1))).as("nothing repeated").isNull();
        }
    }

    /** The instance answers once the board is in the read model; until then 404. */
    private static SseStream awaitStream(ConfigurableApplicationContext instance, BoardEvents board) throws Exception {
        String url = "http://127.0.0.1:" + instance.getEnvironment().getProperty("local.server.port")
                + "/api/v1/scoreboards/" + board.id() + "/live";
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            SseStream stream = SseStream.open(url, null);
            if (stream.status() == 200) {
                return stream;
            }
            stream.close();
            assertThat(System.nanoTime()).as("board %s streams", board.id()).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
