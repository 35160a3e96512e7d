package io.scoreboard.projections.scoreboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.ParticipantAddedEvent;
import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreChangedEvent;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.projections.BoardEvents;
import io.scoreboard.projections.Projection.Outcome;
import io.scoreboard.projections.ProjectionException;
import io.scoreboard.projections.ReadDatabase;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The scoreboard projection against a real, migrated read database, connected as the app role. */
class ScoreboardProjectionTest {

    @RegisterExtension
    static final ReadDatabase db = new ReadDatabase();
    private final ScoreboardProjection projection = new ScoreboardProjection();
    private final ScoreboardReader reader = new ScoreboardReader();

    @Test
    void apply_writesBoardParticipantsAndExactScores() throws SQLException {
        BoardEvents board = new BoardEvents();
        EventEnvelope created = board.created("Quiz night", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD);
        EventEnvelope ann = board.added("Ann");
        EventEnvelope bob = board.added("Bob");
        EventEnvelope annScores = board.scoreSet("Ann", "12.5");
        EventEnvelope bobScores = board.scoreSet("Bob", "-0.0001");

        assertThat(db.apply(projection, created, ann, bob, annScores, bobScores)).containsOnly(Outcome.APPLIED);

        ScoreboardView view = find(board.id());
        assertThat(view.name()).isEqualTo("Quiz night");
        assertThat(view.scoreOrder()).isEqualTo(ScoreOrder.HIGHEST_FIRST);
        assertThat(view.ranking()).isEqualTo(Ranking.STANDARD);
        assertThat(view.deleted()).isFalse();
        assertThat(view.version()).isEqualTo(4);
        assertThat(view.lastPosition()).isEqualTo(bobScores.position());
        assertThat(view.participants()).extracting(RankedParticipant::name, p -> p.score().toPlainString(),
                        RankedParticipant::rank)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("Ann", "12.5", 1L),
                        org.assertj.core.groups.Tuple.tuple("Bob", "-0.0001", 2L));
    }

    @Test
    void apply_skipsADuplicateDelivery_soScoresAreAppliedOnce() throws SQLException {
        BoardEvents board = new BoardEvents();
        EventEnvelope created = board.created("Darts", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD);
        EventEnvelope ann = board.added("Ann");
        EventEnvelope five = board.scoreSet("Ann", "5");
        db.apply(projection, created, ann, five);

        // At-least-once delivery: the whole history arrives again, then the next event.
        EventEnvelope eight = board.scoreSet("Ann", "8");
        assertThat(db.apply(projection, created, ann, five, eight))
                .containsExactly(Outcome.DUPLICATE, Outcome.DUPLICATE, Outcome.DUPLICATE, Outcome.APPLIED);
        assertThat(db.apply(projection, eight)).containsExactly(Outcome.DUPLICATE);

        ScoreboardView view = find(board.id());
        assertThat(view.version()).isEqualTo(3);
        assertThat(view.participants()).singleElement()
                .satisfies(p -> assertThat(p.score()).isEqualByComparingTo("8"));
        assertThat(scoreReachedPosition(board.id(), board.participant("Ann"))).isEqualTo(eight.position());
    }

    @Test
    void apply_failsLoudly_onAGapInTheBoardsSequence() throws SQLException {
        BoardEvents board = new BoardEvents();
        db.apply(projection, board.created("Gaps", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD), board.added("Ann"));
        board.scoreSet("Ann", "1"); // never delivered
        EventEnvelope after = board.scoreSet("Ann", "2");

        assertThatThrownBy(() -> db.apply(projection, after))
                .isInstanceOf(ProjectionException.class)
                .hasMessageContaining(after.eventId().toString())
                .hasMessageContaining("expected sequence 2");
        assertThat(find(board.id()).version()).isEqualTo(1);
    }

    @Test
    void apply_failsLoudly_forABoardThatWasNeverCreated() {
        BoardEvents board = new BoardEvents();
        board.created("Lost", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD); // never delivered
        EventEnvelope added = board.added("Ann");

        assertThatThrownBy(() -> db.apply(projection, added))
                .isInstanceOf(ProjectionException.class)
                .hasMessageContaining(added.eventId().toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void apply_failsLoudly_forAScoreOfAParticipantNotOnTheBoard() throws SQLException {
        BoardEvents board = new BoardEvents();
        db.apply(projection, board.created("Ghosts", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD));
        EventEnvelope ghost = board.next(new ScoreChangedEvent(board.id(), UUID.randomUUID(), BigDecimal.ONE,
                BigDecimal.ONE, null));

        assertThatThrownBy(() -> db.apply(projection, ghost))
                .isInstanceOf(ProjectionException.class)
                .hasMessageContaining("does not exist on this board");
    }

    @Test
    void apply_failsLoudly_ratherThanRoundAScoreWithMoreThanFourDecimals() throws SQLException {
        BoardEvents board = new BoardEvents();
        db.apply(projection, board.created("Precise", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD), board.added("Ann"));
        EventEnvelope tooPrecise = board.scoreSet("Ann", "0.00001");

        assertThatThrownBy(() -> db.apply(projection, tooPrecise))
                .isInstanceOf(ProjectionException.class)
                .hasMessageContaining("cannot be stored exactly");
    }

    @Test
    void apply_keepsTheScoreReachedPosition_whenAChangeLeavesTheScoreWhereItWas() throws SQLException {
        BoardEvents board = new BoardEvents();
        db.apply(projection, board.created("Zero", ScoreOrder.HIGHEST_FIRST, Ranking.ORDINAL), board.added("Ann"));
        EventEnvelope three = board.scoreSet("Ann", "3");
        EventEnvelope stillThree = board.scoreSet("Ann", "3.000");
        db.apply(projection, three, stillThree);

        assertThat(scoreReachedPosition(board.id(), board.participant("Ann"))).isEqualTo(three.position());
        assertThat(find(board.id()).lastPosition()).isEqualTo(stillThree.position());
    }

    @Test
    void apply_rejectsASecondParticipantWithTheSameId() throws SQLException {
        BoardEvents board = new BoardEvents();
        UUID id = UUID.randomUUID();
        db.apply(projection, board.created("Twice", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD),
                board.next(new ParticipantAddedEvent(board.id(), id, "Ann")));
        EventEnvelope again = board.next(new ParticipantAddedEvent(board.id(), id, "Ann again"));

        assertThatThrownBy(() -> db.apply(projection, again))
                .isInstanceOf(ProjectionException.class)
                .hasMessageContaining("already exists");
    }

    private ScoreboardView find(UUID id) throws SQLException {
        try (Connection c = db.connect()) {
            return reader.find(c, id).orElseThrow();
        }
    }

    private long scoreReachedPosition(UUID board, UUID participant) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement p = c.prepareStatement(
                "SELECT score_reached_position FROM participants WHERE scoreboard_id = ? AND participant_id = ?")) {
            p.setObject(1, board);
            p.setObject(2, participant);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
