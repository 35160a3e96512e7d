package io.scoreboard.projections.scoreboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.projections.BoardEvents;
import io.scoreboard.projections.ReadDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ?asOf=} and {@code ?from=&to=} are computed from the history tables alone; the board as of
 * an instant must be exactly what the live tables said at that instant.
 */
class ScoreboardAsOfAndWindowTest {

    @RegisterExtension
    static final ReadDatabase db = new ReadDatabase();
    private final ScoreboardProjection projection = new ScoreboardProjection();
    private final ScoreboardReader reader = new ScoreboardReader();

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14, 15})
    void theBoardAsOfEachEventsTime_isWhatTheLiveTablesServedThen(long seed) throws SQLException {
        BoardEvents board = new BoardEvents();
        List<EventEnvelope> events = new ArrayList<>(ScoreboardRecomputationTest.randomHistory(board, new Random(seed), 80));
        if (events.get(events.size() - 1).payload() instanceof io.scoreboard.events.ScoreboardDeletedEvent) {
            events.add(board.restored()); // a board deleted now is hidden at every instant
        }
        List<Instant> times = new ArrayList<>();
        List<Optional<ScoreboardView>> servedThen = new ArrayList<>();
        try (Connection c = db.connect()) {
            for (EventEnvelope event : events) {
                db.apply(projection, event);
                times.add(event.occurredAt());
                servedThen.add(reader.find(c, board.id()));
            }
            assertThat(reader.find(c, board.id(), ReadScope.asOf(times.get(0).minusMillis(1)))).as("before creation")
                    .isEmpty();
            for (int i = 0; i < times.size(); i++) {
                Optional<ScoreboardView> asOf = reader.find(c, board.id(), ReadScope.asOf(times.get(i)));
                assertThat(asOf).as("as of event " + i + " (" + events.get(i).type() + ")").isEqualTo(servedThen.get(i));
                // Between two events, the earlier one's state.
                assertThat(reader.find(c, board.id(), ReadScope.asOf(times.get(i).plusMillis(500))))
                        .isEqualTo(servedThen.get(i));
            }
            int middle = times.size() / 2;
            assertThat(reader.findPage(c, board.id(), 2, 1, ReadScope.asOf(times.get(middle))).map(s -> s.board()
                    .participants())).isEqualTo(servedThen.get(middle).map(v -> v.participants().stream().skip(1)
                    .limit(2).toList()));
        }
    }

    @Test
    void aWindow_ranksThePointsScoredInIt_withoutUndoneChanges() throws SQLException {
        BoardEvents board = new BoardEvents();
        List<EventEnvelope> events = new ArrayList<>();
        events.add(board.created("Weekly", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD)); // t=1s
        events.add(board.added("Ann"));                  // 2
        events.add(board.added("Bob"));                  // 3
        events.add(board.added("Cid"));                  // 4
        events.add(board.scoreSet("Ann", "10"));         // 5: before the window
        events.add(board.scoreSet("Bob", "3"));          // 6: in the window from here
        events.add(board.round("r1", "Ann=12", "Cid=4")); // 7
        events.add(board.scoreSet("Bob", "9"));          // 8: undone below
        events.add(board.undo());                        // 9
        events.add(board.scoreSet("Cid", "5.5"));        // 10: after the window
        db.apply(projection, events.toArray(EventEnvelope[]::new));
        Instant from = events.get(5).occurredAt();
        Instant to = events.get(9).occurredAt();

        try (Connection c = db.connect()) {
            ScoreboardView weekly = reader.find(c, board.id(), ReadScope.window(from, to)).orElseThrow();
            assertThat(weekly.participants()).extracting(p -> p.name(), p -> p.score().toPlainString(), p -> p.rank())
                    .containsExactly(tuple("Cid", "4", 1L), tuple("Bob", "3", 2L), tuple("Ann", "2", 3L));
            assertThat(weekly.version()).as("the board's version: the answer changes only with it")
                    .isEqualTo(events.get(events.size() - 1).sequenceNumber());
            ScoreboardView before = reader.find(c, board.id(), ReadScope.window(Instant.EPOCH, from)).orElseThrow();
            assertThat(before.participants()).extracting(p -> p.name(), p -> p.score().toPlainString())
                    .containsExactly(tuple("Ann", "10"), tuple("Bob", "0"), tuple("Cid", "0"));
        }
    }
}
