package io.scoreboard.projections.scoreboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.ParticipantAddedEvent;
import io.scoreboard.events.ParticipantRemovedEvent;
import io.scoreboard.events.ParticipantRenamedEvent;
import io.scoreboard.events.Ranking;
import io.scoreboard.events.RoundRecordedEvent;
import io.scoreboard.events.ScoreChangeUndoneEvent;
import io.scoreboard.events.ScoreChangedEvent;
import io.scoreboard.events.ScoreDelta;
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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The v1 events beyond create/add/score: renames, ranking rules, soft delete and restore,
 * participant removal, rounds and undo, against a real, migrated read database (as the app role).
 */
class ScoreboardLifecycleProjectionTest {

    @RegisterExtension
    static final ReadDatabase db = new ReadDatabase();
    private final ScoreboardProjection projection = new ScoreboardProjection();
    private final ScoreboardReader reader = new ScoreboardReader();

    @Test
    void renames_showTheNewBoardAndParticipantNames() throws SQLException {
        BoardEvents board = new BoardEvents();
        EventEnvelope last;
        db.apply(projection, board.created("Quiz", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD),
                board.added("Ann"), board.added("Bob"), board.scoreSet("Bob", "2"),
                board.renamed("Quiz night"), board.participantRenamed("Ann", "Annie"),
                last = board.renamed("Quiz night (final)"));

        ScoreboardView view = find(board.id());
        assertThat(view.name()).isEqualTo("Quiz night (final)");
        assertThat(view.version()).isEqualTo(last.sequenceNumber());
        assertThat(view.lastPosition()).isEqualTo(last.position());
        assertThat(view.participants()).extracting(RankedParticipant::participantId, RankedParticipant::name,
                        RankedParticipant::rank)
                .containsExactly(tuple(board.participant("Bob"), "Bob", 1L), tuple(board.participant("Annie"), "Annie", 2L));
    }

    @Test
    void deleteThenRestore_bringsTheBoardBackExactlyAsItWas() throws SQLException {
        BoardEvents board = new BoardEvents();
        db.apply(projection, board.created("Darts", ScoreOrder.LOWEST_FIRST, Ranking.ORDINAL),
                board.added("Ann"), board.added("Bob"), board.added("Cid"),
                board.scoreSet("Bob", "3"), board.scoreSet("Ann", "3"), board.scoreSet("Cid", "-1.25"),
                board.removed("Cid"));
        ScoreboardView before = find(board.id());
        String rowsBefore = participantRows(board.id());

        EventEnvelope deleted = board.deleted();
        db.apply(projection, deleted);
        ScoreboardView whileDeleted = find(board.id());
        assertThat(whileDeleted.deleted()).isTrue();
        assertThat(whileDeleted.version()).isEqualTo(deleted.sequenceNumber());

        EventEnvelope restored = board.restored();
        db.apply(projection, restored);
        ScoreboardView after = find(board.id());
        assertThat(after.deleted()).isFalse();
        assertThat(after.version()).isEqualTo(restored.sequenceNumber());
        assertThat(after.lastPosition()).isEqualTo(restored.position());
        assertThat(after).usingRecursiveComparison().ignoringFields("version", "lastPosition").isEqualTo(before);
        assertThat(participantRows(board.id())).isEqualTo(rowsBefore);
        assertThat(ranks(board.id())).isEqualTo("Bob:1 Ann:2"); // ORDINAL tie kept: Bob reached 3 first
    }

    @Test
    void deletingADeletedBoard_orRestoringABoardThatIsNotDeleted_failsLoudly() throws SQLException {
        BoardEvents board = new BoardEvents();
        db.apply(projection, board.created("Twice", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD));
        EventEnvelope restoreTooEarly = board.restored();
        assertThatThrownBy(() -> db.apply(projection, restoreTooEarly))
                .isInstanceOf(ProjectionException.class)
                .hasMessageContaining(restoreTooEarly.eventId().toString())
                .hasMessageContaining("is not deleted");

        BoardEvents other = new BoardEvents();
        db.apply(projection, other.created("Twice", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD), other.deleted());
        EventEnvelope deleteAgain = other.deleted();
        assertThatThrownBy(() -> db.apply(projection, deleteAgain))
                .isInstanceOf(ProjectionException.class)
                .hasMessageContaining("already deleted");
        assertThat(find(other.id()).version()).isEqualTo(1);
    }

    @Test
    void aRemovedParticipant_isNeitherListedNorRanked_butKeepsItsRow() throws SQLException {
        BoardEvents board = new BoardEvents();
        db.apply(projection, board.created("Chess", ScoreOrder.HIGHEST_FIRST, Ranking.DENSE),
                board.added("Ann"), board.added("Bob"), board.added("Cid"),
                board.scoreSet("Ann", "10"), board.scoreSet("Bob", "7"), board.scoreSet("Cid", "5"));
        UUID ann = board.participant("Ann");
        EventEnvelope removed = board.removed("Ann");
        db.apply(projection, removed);

        assertThat(ranks(board.id())).isEqualTo("Bob:1 Cid:2");
        try (Connection c = db.connect(); PreparedStatement p = c.prepareStatement("""
                SELECT name, score, removed, removed_at FROM participants
                 WHERE scoreboard_id = ? AND participant_id = ?""")) {
            p.setObject(1, board.id());
            p.setObject(2, ann);
            try (ResultSet rs = p.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("name")).isEqualTo("Ann");
                assertThat(rs.getBigDecimal("score")).isEqualByComparingTo("10");
                assertThat(rs.getBoolean("removed")).isTrue();
                assertThat(rs.getTimestamp("removed_at").toInstant()).isEqualTo(removed.occurredAt());
            }
        }
    }

    @Test
    void aParticipantAddedLater_mayReuseARemovedParticipantsName() throws SQLException {
        BoardEvents board = new BoardEvents();
        db.apply(projection, board.created("Relay", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD),
                board.added("Ann"), board.added("Bob"), board.scoreSet("Ann", "4"), board.scoreSet("Bob", "1"));
        UUID firstAnn = board.participant("Ann");
        db.apply(projection, board.removed("Ann"), board.added("Ann"));
        UUID secondAnn = board.participant("Ann");
        db.apply(projection, board.scoreSet("Ann", "2"));

        assertThat(secondAnn).isNotEqualTo(firstAnn);
        assertThat(find(board.id()).participants())
                .extracting(RankedParticipant::participantId, RankedParticipant::name, p -> p.score().toPlainString(),
                        RankedParticipant::rank)
                .containsExactly(tuple(secondAnn, "Ann", "2", 1L), tuple(board.participant("Bob"), "Bob", "1", 2L));
        assertThat(participantRows(board.id())).contains(firstAnn + " Ann 4 removed");
    }

    @Test
    void anythingHappeningToARemovedParticipant_failsLoudly() throws SQLException {
        BoardEvents board = new BoardEvents();
        db.apply(projection, board.created("Gone", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD),
                board.added("Ann"), board.added("Bob"));
        UUID ann = board.participant("Ann");
        UUID bob = board.participant("Bob");
        db.apply(projection, board.removed("Ann"));
        long version = find(board.id()).version();

        List<EventEnvelope> impossible = List.of(
                board.next(new ScoreChangedEvent(board.id(), ann, BigDecimal.ONE, BigDecimal.ONE, null)),
                board.next(new RoundRecordedEvent(board.id(), "Round 1", List.of(
                        new ScoreDelta(bob, BigDecimal.ONE, BigDecimal.ONE),
                        new ScoreDelta(ann, BigDecimal.ONE, BigDecimal.ONE)))),
                board.next(new ParticipantRenamedEvent(board.id(), ann, "Annie")),
                board.next(new ParticipantRemovedEvent(board.id(), ann)),
                board.next(new ParticipantAddedEvent(board.id(), ann, "Ann again")));
        for (EventEnvelope event : impossible) {
            // Each is tried as the board's next event: rename the sequence to the expected one.
            EventEnvelope next = new EventEnvelope(event.eventId(), event.scoreboardId(), version + 1,
                    event.position(), event.occurredAt(), event.type(), event.typeVersion(), event.payload());
            assertThatThrownBy(() -> db.apply(projection, next))
                    .as(event.type())
                    .isInstanceOf(ProjectionException.class)
                    .hasMessageContaining(next.eventId().toString())
                    .hasMessageContaining(ann.toString())
                    .hasMessageMatching("(?s).*(was removed from this board|already exists on this board).*");
        }
        assertThat(find(board.id()).version()).isEqualTo(version);
        assertThat(scoreOf(board.id(), bob)).isEqualByComparingTo("0"); // the round's other delta rolled back
    }

    @Test
    void aRound_setsEveryListedParticipantsScore_atOnce() throws SQLException {
        BoardEvents board = new BoardEvents();
        EventEnvelope annFirst;
        db.apply(projection, board.created("Pub quiz", ScoreOrder.HIGHEST_FIRST, Ranking.ORDINAL),
                board.added("Ann"), board.added("Bob"), board.added("Cid"), board.added("Dan"),
                annFirst = board.scoreSet("Ann", "6"));
        EventEnvelope round = board.round("Round 1", "Ann=6", "Bob=6", "Cid=-2.5", "Dan=0.0001");
        assertThat(((RoundRecordedEvent) round.payload()).deltas()).hasSize(4);
        db.apply(projection, round);

        assertThat(find(board.id()).participants())
                .extracting(RankedParticipant::name, p -> p.score().toPlainString(), RankedParticipant::rank)
                .containsExactly(tuple("Ann", "6", 1L), tuple("Bob", "6", 2L), tuple("Dan", "0.0001", 3L),
                        tuple("Cid", "-2.5", 4L));
        // Ann's delta was 0: she still reached 6 first, before the round.
        assertThat(reachedPosition(board.id(), board.participant("Ann"))).isEqualTo(annFirst.position());
        assertThat(reachedPosition(board.id(), board.participant("Bob"))).isEqualTo(round.position());
        assertThat(find(board.id()).version()).isEqualTo(round.sequenceNumber());
    }

    @Test
    void aRoundNamingAnUnknownParticipant_failsLoudly_andAppliesNoneOfIt() throws SQLException {
        BoardEvents board = new BoardEvents();
        db.apply(projection, board.created("Ghosts", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD), board.added("Ann"));
        UUID ghost = UUID.randomUUID();
        EventEnvelope round = board.next(new RoundRecordedEvent(board.id(), "Round 1", List.of(
                new ScoreDelta(board.participant("Ann"), BigDecimal.TEN, BigDecimal.TEN),
                new ScoreDelta(ghost, BigDecimal.ONE, BigDecimal.ONE))));

        assertThatThrownBy(() -> db.apply(projection, round))
                .isInstanceOf(ProjectionException.class)
                .hasMessageContaining("participant " + ghost + " does not exist on this board");
        assertThat(scoreOf(board.id(), board.participant("Ann"))).isEqualByComparingTo("0");
        assertThat(find(board.id()).version()).isEqualTo(1);
    }

    @Test
    void aRoundWithoutDeltas_orListingAParticipantTwice_failsLoudly() throws SQLException {
        BoardEvents board = new BoardEvents();
        db.apply(projection, board.created("Odd", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD), board.added("Ann"));
        UUID ann = board.participant("Ann");
        EventEnvelope empty = board.next(new RoundRecordedEvent(board.id(), "Nothing", List.of()));
        assertThatThrownBy(() -> db.apply(projection, empty))
                .isInstanceOf(ProjectionException.class).hasMessageContaining("no deltas");
        assertThat(find(board.id()).version()).isEqualTo(1);

        BoardEvents other = new BoardEvents();
        db.apply(projection, other.created("Odd", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD), other.added("Ann"));
        UUID otherAnn = other.participant("Ann");
        EventEnvelope twice = other.next(new RoundRecordedEvent(other.id(), "Twice", List.of(
                new ScoreDelta(otherAnn, BigDecimal.ONE, BigDecimal.ONE),
                new ScoreDelta(otherAnn, BigDecimal.ONE, new BigDecimal("2")))));
        assertThatThrownBy(() -> db.apply(projection, twice))
                .isInstanceOf(ProjectionException.class).hasMessageContaining("listed twice");
        assertThat(scoreOf(board.id(), ann)).isEqualByComparingTo("0");
    }

    @Test
    void undo_restoresThePreviousScores_roundThenSingleChange() throws SQLException {
        BoardEvents board = new BoardEvents();
        db.apply(projection, board.created("Undo", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD),
                board.added("Ann"), board.added("Bob"), board.added("Cid"),
                board.scoreSet("Ann", "5"), board.round("Round 1", "Ann=8", "Bob=3.5", "Cid=1"),
                board.round("Round 2", "Bob=10", "Cid=-4"));
        assertThat(scores(board.id())).isEqualTo("Bob=10 Ann=8 Cid=-4");

        EventEnvelope undoRound2 = board.undo();
        assertThat(((ScoreChangeUndoneEvent) undoRound2.payload()).deltas())
                .extracting(d -> d.delta().toPlainString(), d -> d.score().toPlainString())
                .containsExactly(tuple("-6.5", "3.5"), tuple("5", "1"));
        db.apply(projection, undoRound2);
        assertThat(scores(board.id())).isEqualTo("Ann=8 Bob=3.5 Cid=1");
        assertThat(reachedPosition(board.id(), board.participant("Bob"))).isEqualTo(undoRound2.position());

        db.apply(projection, board.undo(), board.undo()); // round 1, then Ann's 5
        assertThat(scores(board.id())).isEqualTo("Ann=0 Bob=0 Cid=0");
        assertThat(ranks(board.id())).isEqualTo("Ann:1 Bob:1 Cid:1");
    }

    @Test
    void undo_leavesOutParticipantsRemovedSince_evenWhenNoneIsLeft() throws SQLException {
        BoardEvents board = new BoardEvents();
        db.apply(projection, board.created("Undo", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD),
                board.added("Ann"), board.added("Bob"),
                board.round("Round 1", "Ann=2", "Bob=3"), board.scoreSet("Ann", "7"), board.removed("Ann"));

        EventEnvelope undoAnnsChange = board.undo(); // only Ann's change, and Ann is gone: nothing to revert
        assertThat(((ScoreChangeUndoneEvent) undoAnnsChange.payload()).deltas()).isEmpty();
        EventEnvelope undoRound = board.undo(); // Bob only
        assertThat(((ScoreChangeUndoneEvent) undoRound.payload()).deltas()).hasSize(1);
        assertThat(db.apply(projection, undoAnnsChange, undoRound)).containsOnly(Outcome.APPLIED);

        assertThat(scores(board.id())).isEqualTo("Bob=0");
        assertThat(find(board.id()).version()).isEqualTo(undoRound.sequenceNumber());
        assertThat(participantRows(board.id())).contains(" Ann 7 removed ");
    }

    @Test
    void undo_ofSomethingThatIsNotAnEarlierEvent_failsLoudly() throws SQLException {
        BoardEvents board = new BoardEvents();
        db.apply(projection, board.created("Undo", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD), board.added("Ann"));
        UUID ann = board.participant("Ann");
        EventEnvelope future = board.next(new ScoreChangeUndoneEvent(board.id(), 7,
                List.of(new ScoreDelta(ann, BigDecimal.ONE, BigDecimal.ONE))));

        assertThatThrownBy(() -> db.apply(projection, future))
                .isInstanceOf(ProjectionException.class)
                .hasMessageContaining("not an earlier event");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ScoreboardRenamed", "RankingRulesChanged", "ScoreboardDeleted", "ScoreboardRestored",
            "ParticipantRenamed", "ParticipantRemoved", "RoundRecorded", "ScoreChangeUndone"})
    void anEventForABoardThatWasNeverCreated_failsLoudly(String type) {
        BoardEvents board = new BoardEvents();
        // None of these is delivered: the read model never heard of the board.
        board.created("Lost", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD);
        board.added("Ann");
        board.scoreSet("Ann", "1");
        EventEnvelope event = switch (type) {
            case "ScoreboardRenamed" -> board.renamed("Found?");
            case "RankingRulesChanged" -> board.rulesChanged(ScoreOrder.LOWEST_FIRST, Ranking.DENSE);
            case "ScoreboardDeleted" -> board.deleted();
            case "ScoreboardRestored" -> board.restored();
            case "ParticipantRenamed" -> board.participantRenamed("Ann", "Annie");
            case "ParticipantRemoved" -> board.removed("Ann");
            case "RoundRecorded" -> board.round("Round", "Ann=2");
            case "ScoreChangeUndone" -> board.undo();
            default -> throw new IllegalArgumentException(type);
        };
        assertThat(event.type()).isEqualTo(type);

        assertThatThrownBy(() -> db.apply(projection, event))
                .isInstanceOf(ProjectionException.class)
                .hasMessageContaining(event.eventId().toString())
                .hasMessageContaining("does not exist in the read model");
    }

    @Test
    void everyNewEvent_deliveredAgain_isAppliedOnce() throws SQLException {
        BoardEvents board = new BoardEvents();
        List<EventEnvelope> history = new ArrayList<>(List.of(
                board.created("Again", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD),
                board.added("Ann"), board.added("Bob"), board.added("Cid"),
                board.renamed("Again and again"),
                board.rulesChanged(ScoreOrder.LOWEST_FIRST, Ranking.DENSE),
                board.participantRenamed("Bob", "Rob"),
                board.round("Round 1", "Ann=3", "Rob=2", "Cid=1"),
                board.round("Round 2", "Ann=5", "Rob=4"),
                board.undo(),
                board.deleted(),
                board.restored(),
                board.removed("Cid"),
                // Later events that a re-applied earlier one would visibly undo.
                board.renamed("Final name"),
                board.rulesChanged(ScoreOrder.HIGHEST_FIRST, Ranking.ORDINAL),
                board.participantRenamed("Rob", "Bob"),
                board.scoreSet("Ann", "9"),
                board.deleted()));
        assertThat(db.apply(projection, history.toArray(EventEnvelope[]::new))).containsOnly(Outcome.APPLIED);
        String before = snapshot(board.id());

        // At-least-once: every event again, one batch each, then the whole history in one batch.
        for (EventEnvelope event : history) {
            assertThat(db.apply(projection, event)).as(event.type()).containsExactly(Outcome.DUPLICATE);
        }
        assertThat(db.apply(projection, history.toArray(EventEnvelope[]::new))).containsOnly(Outcome.DUPLICATE);
        assertThat(snapshot(board.id())).isEqualTo(before);

        // The history arrives again, then the next event, which applies.
        history.add(board.restored());
        assertThat(db.apply(projection, history.toArray(EventEnvelope[]::new)))
                .endsWith(Outcome.DUPLICATE, Outcome.APPLIED).containsOnlyOnce(Outcome.APPLIED);
        ScoreboardView view = find(board.id());
        assertThat(view.name()).isEqualTo("Final name");
        assertThat(view.scoreOrder()).isEqualTo(ScoreOrder.HIGHEST_FIRST);
        assertThat(view.ranking()).isEqualTo(Ranking.ORDINAL);
        assertThat(view.deleted()).isFalse();
        assertThat(view.version()).isEqualTo(history.size() - 1);
        assertThat(view.participants()).extracting(RankedParticipant::name, p -> p.score().toPlainString(),
                        RankedParticipant::rank)
                .containsExactly(tuple("Ann", "9", 1L), tuple("Bob", "2", 2L));
    }

    private ScoreboardView find(UUID id) throws SQLException {
        try (Connection c = db.connect()) {
            return reader.find(c, id).orElseThrow();
        }
    }

    private String ranks(UUID id) throws SQLException {
        return listed(id, p -> p.name() + ":" + p.rank());
    }

    private String scores(UUID id) throws SQLException {
        return listed(id, p -> p.name() + "=" + p.score().toPlainString());
    }

    private String listed(UUID id, Function<RankedParticipant, String> format) throws SQLException {
        return String.join(" ", find(id).participants().stream().map(format).toList());
    }

    /** The board as the reader shows it, and every participant row (removed ones included). */
    private String snapshot(UUID id) throws SQLException {
        return find(id) + "\n" + participantRows(id);
    }

    /** "id name score [removed] @reachedPosition" per row, removed ones included, in id order. */
    private static String participantRows(UUID board) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement p = c.prepareStatement("""
                SELECT participant_id, name, score, removed, removed_at, score_reached_position FROM participants
                 WHERE scoreboard_id = ? ORDER BY participant_id""")) {
            p.setObject(1, board);
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getObject(1) + " " + rs.getString(2) + " "
                            + ScoreboardReader.exact(rs.getBigDecimal(3)).toPlainString()
                            + (rs.getBoolean(4) ? " removed " + rs.getTimestamp(5).toInstant() : "")
                            + " @" + rs.getLong(6));
                }
            }
            return String.join("\n", rows);
        }
    }

    private static BigDecimal scoreOf(UUID board, UUID participant) throws SQLException {
        return participantColumn(board, participant, "score", rs -> rs.getBigDecimal(1));
    }

    private static long reachedPosition(UUID board, UUID participant) throws SQLException {
        return participantColumn(board, participant, "score_reached_position", rs -> rs.getLong(1));
    }

    private interface Column<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private static <T> T participantColumn(UUID board, UUID participant, String column, Column<T> read)
            throws SQLException {
        try (Connection c = db.connect(); PreparedStatement p = c.prepareStatement(
                "SELECT " + column + " FROM participants WHERE scoreboard_id = ? AND participant_id = ?")) {
            p.setObject(1, board);
            p.setObject(2, participant);
            try (ResultSet rs = p.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return read.read(rs);
            }
        }
    }
}
