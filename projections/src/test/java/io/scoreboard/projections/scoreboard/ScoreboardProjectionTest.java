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
import io.scoreboard.projections.QueuedWriteException;
import io.scoreboard.projections.ReadDatabase;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

    // --- the live store queues the rows nothing reads back and sends them together (ADR 0023): what a batch
    // leaves must be what event-by-event application left, and a queued row's failure names its own event.

    @Test
    void aCreateAtTheParticipantMaximum_inOneBatch_leavesEveryParticipantAndItsHistory() throws SQLException {
        BoardEvents board = new BoardEvents();
        List<EventEnvelope> events = new ArrayList<>();
        events.add(board.created("Marathon", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD));
        for (int i = 0; i < 10_000; i++) {
            events.add(board.added("Runner " + i));
        }
        EventEnvelope[] all = events.toArray(EventEnvelope[]::new);

        assertThat(db.apply(projection, all)).hasSize(10_001).containsOnly(Outcome.APPLIED);
        // Delivered again, whole, in one batch: every event is a duplicate, nothing is written twice.
        assertThat(db.apply(projection, all)).hasSize(10_001).containsOnly(Outcome.DUPLICATE);

        ScoreboardView view = find(board.id());
        assertThat(view.version()).isEqualTo(10_000);
        assertThat(view.lastPosition()).isEqualTo(all[10_000].position());
        assertThat(view.participants()).hasSize(10_000)
                .allSatisfy(p -> assertThat(p.score()).isEqualByComparingTo("0"));
        assertThat(count("SELECT count(*) FROM participant_changes WHERE scoreboard_id = ?", board.id()))
                .isEqualTo(10_000);
        assertThat(scoreReachedPosition(board.id(), board.participant("Runner 9999")))
                .isEqualTo(all[10_000].position());
    }

    @Test
    void aParticipantAddedEarlierInTheBatch_canBeScoredLaterInIt() throws SQLException {
        BoardEvents board = new BoardEvents();
        EventEnvelope created = board.created("Relay", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD);
        EventEnvelope ann = board.added("Ann");
        EventEnvelope scored = board.scoreSet("Ann", "7");
        EventEnvelope bob = board.added("Bob");

        assertThat(db.apply(projection, created, ann, scored, bob)).containsOnly(Outcome.APPLIED);

        ScoreboardView view = find(board.id());
        assertThat(view.version()).isEqualTo(3);
        assertThat(view.lastPosition()).isEqualTo(bob.position());
        assertThat(view.participants()).extracting(RankedParticipant::name).containsExactly("Ann", "Bob");
        assertThat(scoreReachedPosition(board.id(), board.participant("Ann"))).isEqualTo(scored.position());
        assertThat(count("SELECT count(*) FROM participant_changes WHERE scoreboard_id = ?", board.id()))
                .isEqualTo(3);
    }

    @Test
    void theSameIdAddedTwiceInOneBatch_failsNamingTheSecondAdd_andNothingIsWritten() throws SQLException {
        BoardEvents board = new BoardEvents();
        UUID id = UUID.randomUUID();
        EventEnvelope created = board.created("Twice", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD);
        EventEnvelope first = board.next(new ParticipantAddedEvent(board.id(), id, "Ann"));
        EventEnvelope second = board.next(new ParticipantAddedEvent(board.id(), id, "Ann again"));
        EventEnvelope later = board.added("Bob");

        assertThatThrownBy(() -> db.apply(projection, created, first, second, later))
                .isInstanceOfSatisfying(ProjectionException.class,
                        e -> assertThat(e.event().eventId()).isEqualTo(second.eventId()))
                .hasMessageContaining("participant " + id + " already exists on this board");
        assertThat(count("SELECT count(*) FROM scoreboards WHERE scoreboard_id = ?", board.id())).isZero();
    }

    @Test
    void aConnectionWithoutPerRowCounts_isRefused_ratherThanMissADuplicateParticipant() throws SQLException {
        BoardEvents board = new BoardEvents();
        EventEnvelope created = board.created("Counts", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD);
        EventEnvelope ann = board.added("Ann");
        EventEnvelope bob = board.added("Bob");
        try (Connection c = db.connect("reWriteBatchedInserts=true")) {
            c.setAutoCommit(false);
            io.scoreboard.projections.Projection.Batch batch = projection.batch(c);
            batch.apply(created);
            batch.apply(ann);
            batch.apply(bob);
            assertThatThrownBy(batch::finish).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("reWriteBatchedInserts");
            c.rollback();
        }
    }

    @Test
    void queuedRowsThatBreakADataRule_nameTheirEvents_exactlyWhenSentAlone() throws SQLException {
        BoardEvents board = new BoardEvents();
        db.apply(projection, board.created("Rules", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD));
        UUID participant = UUID.randomUUID();
        Instant at = Instant.parse("2025-01-01T00:00:00Z");
        // A score change without its delta: the table's CHECK refuses it, only when the queue is sent.
        ParticipantChangeRow broken = row(board.id(), participant, 2, "ScoreChanged", null, at);

        QueuedWriteException together = flushFailure(row(board.id(), participant, 1, "ParticipantAdded", null, at),
                broken, row(board.id(), participant, 3, "ScoreChanged", BigDecimal.ONE, at));
        assertThat(together.pinpointed()).isFalse();
        assertThat(together.event()).startsWith("3 rows sent together, from the ParticipantAdded event of scoreboard "
                + board.id() + " at sequence 1").contains("at sequence 3");
        assertThat(together.getSQLState()).isEqualTo("23514"); // check_violation: a data rule, not an outage

        QueuedWriteException alone = flushFailure(broken);
        assertThat(alone.pinpointed()).isTrue();
        assertThat(alone.event()).isEqualTo("the ScoreChanged event of scoreboard " + board.id()
                + " at sequence 2 (position 5000002)");
        assertThat(alone.getSQLState()).isEqualTo("23514");
    }

    private QueuedWriteException flushFailure(ParticipantChangeRow... rows) throws SQLException {
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            try {
                JdbcScoreboardStore store = new JdbcScoreboardStore(c);
                for (ParticipantChangeRow row : rows) {
                    store.recordParticipantChange(row);
                }
                store.flush();
                throw new AssertionError("the queued rows were written");
            } catch (QueuedWriteException e) {
                return e;
            } finally {
                c.rollback();
            }
        }
    }

    private static ParticipantChangeRow row(UUID board, UUID participant, long sequence, String type,
                                            BigDecimal delta, Instant at) {
        return new ParticipantChangeRow(board, participant, sequence, 5_000_000 + sequence, at, type, delta, null,
                "Ann", BigDecimal.ONE, 5_000_000 + sequence, false, null, null);
    }

    private ScoreboardView find(UUID id) throws SQLException {
        try (Connection c = db.connect()) {
            return reader.find(c, id).orElseThrow();
        }
    }

    private long count(String sql, UUID board) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement p = c.prepareStatement(sql)) {
            p.setObject(1, board);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
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
