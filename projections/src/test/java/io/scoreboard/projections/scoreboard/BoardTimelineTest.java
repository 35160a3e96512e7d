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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A board's state and the events after it, as the live hub reads them, for one board and for many at once. */
class BoardTimelineTest {

    @RegisterExtension
    static final ReadDatabase db = new ReadDatabase();
    private final ScoreboardProjection projection = new ScoreboardProjection();

    @Test
    void manyBoardsAtOnce_readEachBoardsEventsAfterItsOwnCursor_asOneBoardAtATimeDoes() throws SQLException {
        BoardEvents quiz = new BoardEvents();
        EventEnvelope quizCreated = quiz.created("Quiz", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD);
        EventEnvelope ann = quiz.added("Ann");
        EventEnvelope bob = quiz.added("Bob");
        EventEnvelope round = quiz.round("Round 1", "Ann=5", "Bob=3");
        EventEnvelope renamed = quiz.renamed("Pub quiz");
        BoardEvents darts = new BoardEvents();
        EventEnvelope dartsCreated = darts.created("Darts", ScoreOrder.LOWEST_FIRST, Ranking.DENSE);
        EventEnvelope cy = darts.added("Cy");
        EventEnvelope cyScore = darts.scoreSet("Cy", "501");
        BoardEvents quiet = new BoardEvents();
        quiet.created("Quiet", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD);
        db.apply(projection, quizCreated, ann, dartsCreated, bob, cy, round, cyScore, renamed);

        try (Connection c = db.connect()) {
            Map<UUID, List<BoardTimeline.Event>> read = BoardTimeline.after(c, List.of(
                    new BoardTimeline.Cursor(quiz.id(), ann.position(), renamed.sequenceNumber()),
                    new BoardTimeline.Cursor(darts.id(), dartsCreated.position(), cyScore.sequenceNumber()),
                    new BoardTimeline.Cursor(quiet.id(), 0, 10)), 100);

            assertThat(read).containsOnlyKeys(quiz.id(), darts.id()); // the board the read model lacks is absent
            assertThat(read.get(quiz.id())).extracting(BoardTimeline.Event::sequenceNumber,
                    BoardTimeline.Event::position, BoardTimeline.Event::type).containsExactly(
                    tuple(bob.sequenceNumber(), bob.position(), "ParticipantAdded"),
                    tuple(round.sequenceNumber(), round.position(), "RoundRecorded"),
                    tuple(renamed.sequenceNumber(), renamed.position(), "ScoreboardRenamed"));
            BoardTimeline.Event roundRead = read.get(quiz.id()).get(1);
            assertThat(roundRead.board()).isEmpty();
            assertThat(roundRead.participants()).extracting(p -> p.name(), p -> p.score().toPlainString())
                    .containsExactlyInAnyOrder(tuple("Ann", "5"), tuple("Bob", "3"));
            assertThat(read.get(quiz.id()).get(2).board()).hasValueSatisfying(b -> {
                assertThat(b.name()).isEqualTo("Pub quiz");
                assertThat(b.version()).isEqualTo(renamed.sequenceNumber());
            });
            assertThat(read.get(darts.id())).extracting(BoardTimeline.Event::sequenceNumber)
                    .containsExactly(cy.sequenceNumber(), cyScore.sequenceNumber());

            for (UUID board : List.of(quiz.id(), darts.id())) {
                long after = board.equals(quiz.id()) ? ann.position() : dartsCreated.position();
                long upto = board.equals(quiz.id()) ? renamed.sequenceNumber() : cyScore.sequenceNumber();
                assertThat(BoardTimeline.after(c, board, after, upto, 100)).isEqualTo(read.get(board));
            }
        }
    }

    @Test
    void theLimitAndTheUpperVersion_holdPerBoard() throws SQLException {
        BoardEvents one = new BoardEvents();
        BoardEvents two = new BoardEvents();
        EventEnvelope oneCreated = one.created("One", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD);
        EventEnvelope twoCreated = two.created("Two", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD);
        db.apply(projection, oneCreated, twoCreated);
        for (int i = 0; i < 5; i++) {
            db.apply(projection, one.added("P" + i), two.added("Q" + i));
        }

        try (Connection c = db.connect()) {
            Map<UUID, List<BoardTimeline.Event>> read = BoardTimeline.after(c, List.of(
                    new BoardTimeline.Cursor(one.id(), oneCreated.position(), 5),
                    new BoardTimeline.Cursor(two.id(), twoCreated.position(), 2)), 3);

            assertThat(read.get(one.id())).extracting(BoardTimeline.Event::sequenceNumber).containsExactly(1L, 2L, 3L);
            assertThat(read.get(two.id())).extracting(BoardTimeline.Event::sequenceNumber).containsExactly(1L, 2L);
        }
    }

    @Test
    void versions_ofManyBoards_inOneRead() throws SQLException {
        BoardEvents one = new BoardEvents();
        BoardEvents two = new BoardEvents();
        db.apply(projection, one.created("One", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD), one.added("Ann"),
                two.created("Two", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD));

        try (Connection c = db.connect()) {
            assertThat(new ScoreboardReader().versions(c, List.of(one.id(), two.id(), UUID.randomUUID())))
                    .containsExactlyInAnyOrderEntriesOf(Map.of(one.id(), 1L, two.id(), 0L));
            assertThat(new ScoreboardReader().versions(c, List.of())).isEmpty();
        }
    }
}
