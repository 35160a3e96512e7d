package io.scoreboard.projections.scoreboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreChangedEvent;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.projections.BoardEvents;
import io.scoreboard.projections.ReadDatabase;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The history tables ({@code board_changes}, {@code participant_changes}): one row per change with
 * the state after it, written by the live projection exactly as the in-memory fold produces them.
 */
class ScoreboardHistoryProjectionTest {

    @RegisterExtension
    static final ReadDatabase db = new ReadDatabase();
    private final ScoreboardProjection projection = new ScoreboardProjection();

    @Test
    void everyChange_isARowWithTheStateAfterIt_andAnUndoNamesWhatItReverts() throws SQLException {
        BoardEvents board = new BoardEvents();
        EventEnvelope created = board.created("Quiz", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD);
        EventEnvelope ann = board.added("Ann");
        EventEnvelope bob = board.added("Bob");
        UUID annId = board.participant("Ann");
        UUID bobId = board.participant("Bob");
        EventEnvelope bonus = board.next(new ScoreChangedEvent(board.id(), annId, new BigDecimal("2.50"),
                new BigDecimal("2.50"), "bonus, \"quoted\""));
        EventEnvelope round = board.round("Round 1", "Ann=5", "Bob=-1");
        EventEnvelope undo = board.undo();
        EventEnvelope renamed = board.participantRenamed("Bob", "Robert");
        EventEnvelope boardRenamed = board.renamed("Pub quiz");
        EventEnvelope removed = board.removed("Robert");
        List<EventEnvelope> events = List.of(created, ann, bob, bonus, round, undo, renamed, boardRenamed, removed);

        List<BoardChangeRow> foldedBoard = new ArrayList<>();
        List<ParticipantChangeRow> foldedParticipants = new ArrayList<>();
        ScoreboardRecomputation memory = new ScoreboardRecomputation(new HistoryRows() {
            @Override
            public void board(BoardChangeRow row) {
                foldedBoard.add(row);
            }

            @Override
            public void participant(ParticipantChangeRow row) {
                foldedParticipants.add(row);
            }

            @Override
            public void team(TeamChangeRow row) {
            }

            @Override
            public void event(BoardEventRow row) {
            }
        });
        events.forEach(memory::apply);
        db.apply(projection, events.toArray(EventEnvelope[]::new));

        List<BoardChangeRow> boardRows = boardChanges(board.id());
        assertThat(boardRows).extracting(BoardChangeRow::sequenceNumber, BoardChangeRow::eventType,
                BoardChangeRow::name, BoardChangeRow::undoesSequenceNumber).containsExactly(
                tuple(0L, "ScoreboardCreated", "Quiz", null),
                tuple(undo.sequenceNumber(), "ScoreChangeUndone", "Quiz", round.sequenceNumber()),
                tuple(boardRenamed.sequenceNumber(), "ScoreboardRenamed", "Pub quiz", null));
        assertThat(boardRows).containsExactlyElementsOf(foldedBoard);

        List<ParticipantChangeRow> rows = participantChanges(board.id());
        assertThat(rows).extracting(r -> r.participantId().equals(annId) ? "Ann" : "Bob", ParticipantChangeRow::eventType,
                r -> r.delta() == null ? null : r.delta().toPlainString(), ParticipantChangeRow::reason,
                ParticipantChangeRow::name, r -> r.score().toPlainString(), ParticipantChangeRow::removed)
                .containsExactly(
                        tuple("Ann", "ParticipantAdded", null, null, "Ann", "0", false),
                        tuple("Bob", "ParticipantAdded", null, null, "Bob", "0", false),
                        tuple("Ann", "ScoreChanged", "2.5", "bonus, \"quoted\"", "Ann", "2.5", false),
                        // the fixture's round and undo do not know of the hand-made change: the rows say what
                        // the events carry
                        tuple("Ann", "RoundRecorded", "5", "Round 1", "Ann", "5", false),
                        tuple("Bob", "RoundRecorded", "-1", "Round 1", "Bob", "-1", false),
                        tuple("Ann", "ScoreChangeUndone", "-5", null, "Ann", "0", false),
                        tuple("Bob", "ScoreChangeUndone", "1", null, "Bob", "0", false),
                        tuple("Bob", "ParticipantRenamed", null, null, "Robert", "0", false),
                        tuple("Bob", "ParticipantRemoved", null, null, "Robert", "0", true));
        assertThat(rows.get(5).scoreReachedPosition()).as("reached 0 again by the undo").isEqualTo(undo.position());
        assertThat(rows).filteredOn(r -> r.participantId().equals(bobId)).extracting(ParticipantChangeRow::position)
                .containsExactly(bob.position(), round.position(), undo.position(), renamed.position(),
                        removed.position());
        assertThat(rows).containsExactlyElementsOf(foldedParticipants);
        assertThat(memory.boards().get(board.id()).history()).isEqualTo(storedHistory(board.id()))
                .isEqualTo(new HistoryDigest(3, 9, 0, events.size(), memory.boards().get(board.id()).history().hashSum()));
    }

    @Test
    void anUndoOfOnlyRemovedParticipants_isStillRecordedOnTheBoard() throws SQLException {
        BoardEvents board = new BoardEvents();
        EventEnvelope created = board.created("Quiz", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD);
        EventEnvelope ann = board.added("Ann");
        EventEnvelope bob = board.added("Bob");
        EventEnvelope scored = board.scoreSet("Ann", "3");
        EventEnvelope removed = board.removed("Ann");
        EventEnvelope undo = board.undo();
        db.apply(projection, created, ann, bob, scored, removed, undo);

        assertThat(boardChanges(board.id())).extracting(BoardChangeRow::eventType, BoardChangeRow::undoesSequenceNumber)
                .contains(tuple("ScoreChangeUndone", scored.sequenceNumber()));
    }

    private HistoryDigest storedHistory(UUID board) throws SQLException {
        HistoryDigest[] digest = {null};
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            ReadModelRows.forEach(c, row -> {
                if (row.scoreboardId().equals(board)) {
                    digest[0] = row.history();
                }
            });
            c.commit();
        }
        return digest[0];
    }

    private List<BoardChangeRow> boardChanges(UUID board) throws SQLException {
        List<BoardChangeRow> rows = new ArrayList<>();
        try (Connection c = db.connect();
             PreparedStatement p = c.prepareStatement("""
                     SELECT scoreboard_id, sequence_number, position, occurred_at, event_type, name, score_order,
                            ranking, deleted, undoes_sequence_number, token_id
                       FROM board_changes WHERE scoreboard_id = ? ORDER BY position""")) {
            p.setObject(1, board);
            ResultSet rs = p.executeQuery();
            while (rs.next()) {
                rows.add(new BoardChangeRow(rs.getObject(1, UUID.class), rs.getLong(2), rs.getLong(3),
                        rs.getTimestamp(4).toInstant(), rs.getString(5), rs.getString(6), rs.getString(7),
                        rs.getString(8), rs.getBoolean(9), rs.getObject(10, Long.class),
                        rs.getObject(11, UUID.class)));
            }
        }
        return rows;
    }

    private List<ParticipantChangeRow> participantChanges(UUID board) throws SQLException {
        List<ParticipantChangeRow> rows = new ArrayList<>();
        try (Connection c = db.connect();
             PreparedStatement p = c.prepareStatement("""
                     SELECT scoreboard_id, participant_id, sequence_number, position, occurred_at, event_type, delta,
                            reason, name, score, score_reached_position, removed, token_id, team_id
                       FROM participant_changes WHERE scoreboard_id = ? ORDER BY position, name""")) {
            p.setObject(1, board);
            ResultSet rs = p.executeQuery();
            while (rs.next()) {
                rows.add(new ParticipantChangeRow(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getLong(3), rs.getLong(4), rs.getTimestamp(5).toInstant(), rs.getString(6),
                        rs.getBigDecimal(7), rs.getString(8), rs.getString(9), rs.getBigDecimal(10), rs.getLong(11),
                        rs.getBoolean(12), rs.getObject(13, UUID.class), rs.getObject(14, UUID.class)));
            }
        }
        return rows;
    }
}
