package io.scoreboard.projections.scoreboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.ParticipantTeamChangedEvent;
import io.scoreboard.events.Ranking;
import io.scoreboard.events.RewoundParticipant;
import io.scoreboard.events.RewoundTeam;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.events.ScoreboardRewoundEvent;
import io.scoreboard.events.TeamCreatedEvent;
import io.scoreboard.events.TeamRemovedEvent;
import io.scoreboard.events.TeamRenamedEvent;
import io.scoreboard.projections.BoardEvents;
import io.scoreboard.projections.ProjectionException;
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

/**
 * Teams in the read model (ADR 0046): the rows each team event leaves (teams, team_changes, board_changes, and
 * participant_changes for membership), written alike by the live projection and the in-memory fold (rebuild,
 * verify), and the loud stop for an event that cannot have happened.
 */
class TeamsProjectionTest {

    @RegisterExtension
    static final ReadDatabase db = new ReadDatabase();
    private final ScoreboardProjection projection = new ScoreboardProjection();

    @Test
    void teamCreated_addsTheTeam_withATeamAndABoardChange() throws SQLException {
        BoardEvents board = new BoardEvents();
        EventEnvelope created = board.created("Quiz", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD);
        EventEnvelope red = board.teamCreated("Red");

        BoardRow stored = applyBoth(board, created, red);

        assertThat(stored.teams()).containsExactly(new TeamRow(board.team("Red"), "Red", false));
        assertThat(teamChanges(board.id())).containsExactly(new TeamChangeRow(board.id(), board.team("Red"),
                red.sequenceNumber(), red.position(), red.occurredAt(), "TeamCreated", "Red", false, null));
        assertThat(boardChangeTypes(board.id())).containsExactly("ScoreboardCreated", "TeamCreated");
        assertThat(stored.history().teamChanges()).isEqualTo(1);
    }

    @Test
    void teamRenamed_renamesIt_andKeepsItsMembers() throws SQLException {
        BoardEvents board = new BoardEvents();
        EventEnvelope created = board.created("Quiz", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD);
        EventEnvelope ann = board.added("Ann");
        EventEnvelope red = board.teamCreated("Red");
        EventEnvelope joined = board.joined("Ann", "Red");
        EventEnvelope renamed = board.teamRenamed("Red", "Crimson");

        BoardRow stored = applyBoth(board, created, ann, red, joined, renamed);

        assertThat(stored.teams()).containsExactly(new TeamRow(board.team("Red"), "Crimson", false));
        assertThat(stored.participants()).extracting(ParticipantRow::teamId).containsExactly(board.team("Red"));
        assertThat(teamChanges(board.id())).extracting(TeamChangeRow::eventType, TeamChangeRow::name,
                        TeamChangeRow::removed)
                .containsExactly(tuple("TeamCreated", "Red", false), tuple("TeamRenamed", "Crimson", false));
        assertThat(boardChangeTypes(board.id())).containsExactly("ScoreboardCreated", "TeamCreated", "TeamRenamed");
    }

    @Test
    void participantTeamChanged_joinsMovesAndLeaves_andEveryHistoryRowCarriesTheTeamAfterIt() throws SQLException {
        BoardEvents board = new BoardEvents();
        EventEnvelope created = board.created("Quiz", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD);
        EventEnvelope ann = board.added("Ann");
        EventEnvelope red = board.teamCreated("Red");
        EventEnvelope blue = board.teamCreated("Blue");
        EventEnvelope joined = board.joined("Ann", "Red");
        EventEnvelope scored = board.scoreSet("Ann", "4");
        EventEnvelope moved = board.joined("Ann", "Blue");
        EventEnvelope round = board.round("Round 1", "Ann=6");
        EventEnvelope left = board.joined("Ann", null);

        // In one batch: a team made and joined in the same transaction as the participant's addition.
        BoardRow stored = applyBoth(board, created, ann, red, blue, joined, scored, moved, round, left);

        assertThat(stored.participants()).singleElement().extracting(ParticipantRow::teamId).isNull();
        UUID redId = board.team("Red");
        UUID blueId = board.team("Blue");
        assertThat(participantChanges(board.id())).extracting(ParticipantChangeRow::eventType,
                        r -> r.delta() == null ? null : r.delta().toPlainString(), ParticipantChangeRow::teamId)
                .containsExactly(
                        tuple("ParticipantAdded", null, null),
                        tuple("ParticipantTeamChanged", null, redId),
                        tuple("ScoreChanged", "4", redId),
                        tuple("ParticipantTeamChanged", null, blueId),
                        tuple("RoundRecorded", "2", blueId),
                        tuple("ParticipantTeamChanged", null, null));
        // Membership is a participant change, not a team's nor the board's.
        assertThat(teamChanges(board.id())).extracting(TeamChangeRow::eventType)
                .containsExactly("TeamCreated", "TeamCreated");
        assertThat(boardChangeTypes(board.id())).containsExactly("ScoreboardCreated", "TeamCreated", "TeamCreated");
    }

    @Test
    void teamRemoved_leavesItsCurrentMembersTeamless_eachWithAHistoryRow_andRemovedParticipantsAsTheyWere()
            throws SQLException {
        BoardEvents board = new BoardEvents();
        EventEnvelope created = board.created("Quiz", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD);
        EventEnvelope ann = board.added("Ann");
        EventEnvelope bob = board.added("Bob");
        EventEnvelope cid = board.added("Cid");
        EventEnvelope dee = board.added("Dee");
        EventEnvelope red = board.teamCreated("Red");
        EventEnvelope blue = board.teamCreated("Blue");
        EventEnvelope annJoins = board.joined("Ann", "Red");
        EventEnvelope bobJoins = board.joined("Bob", "Red");
        EventEnvelope cidJoins = board.joined("Cid", "Red");
        EventEnvelope deeJoins = board.joined("Dee", "Blue");
        UUID annId = board.participant("Ann");
        UUID bobId = board.participant("Bob");
        UUID cidId = board.participant("Cid");
        EventEnvelope cidRemoved = board.removed("Cid");
        EventEnvelope redRemoved = board.teamRemoved("Red");

        BoardRow stored = applyBoth(board, created, ann, bob, cid, dee, red, blue, annJoins, bobJoins, cidJoins,
                deeJoins, cidRemoved, redRemoved);

        UUID redId = board.team("Red");
        UUID blueId = board.team("Blue");
        assertThat(stored.teams()).containsExactlyInAnyOrder(new TeamRow(redId, "Red", true),
                new TeamRow(blueId, "Blue", false));
        assertThat(stored.participants()).extracting(ParticipantRow::name, ParticipantRow::removed,
                        ParticipantRow::teamId)
                .containsExactlyInAnyOrder(tuple("Ann", false, null), tuple("Bob", false, null),
                        // nothing happens to a removed participant any more: it keeps the team it had
                        tuple("Cid", true, redId), tuple("Dee", false, blueId));
        assertThat(participantChanges(board.id())).filteredOn(r -> r.sequenceNumber() == redRemoved.sequenceNumber())
                .extracting(ParticipantChangeRow::participantId, ParticipantChangeRow::eventType,
                        ParticipantChangeRow::delta, ParticipantChangeRow::teamId, ParticipantChangeRow::position)
                .containsExactlyInAnyOrder(tuple(annId, "TeamRemoved", null, null, redRemoved.position()),
                        tuple(bobId, "TeamRemoved", null, null, redRemoved.position()));
        assertThat(participantChanges(board.id())).extracting(ParticipantChangeRow::participantId)
                .filteredOn(cidId::equals).hasSize(3); // added, joined, removed: not the team's removal
        assertThat(teamChanges(board.id())).filteredOn(r -> r.teamId().equals(redId))
                .extracting(TeamChangeRow::eventType, TeamChangeRow::name, TeamChangeRow::removed)
                .containsExactly(tuple("TeamCreated", "Red", false), tuple("TeamRemoved", "Red", true));
        assertThat(boardChangeTypes(board.id())).containsExactly("ScoreboardCreated", "TeamCreated", "TeamCreated",
                "TeamRemoved");
    }

    @Test
    void aRewind_setsTheTeamsAndMembershipsItLists_asTheyWere() throws SQLException {
        BoardEvents board = new BoardEvents();
        EventEnvelope created = board.created("Quiz", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD);
        EventEnvelope ann = board.added("Ann");
        EventEnvelope bob = board.added("Bob");
        EventEnvelope red = board.teamCreated("Red");
        EventEnvelope blue = board.teamCreated("Blue");
        EventEnvelope annJoins = board.joined("Ann", "Red");
        EventEnvelope scored = board.scoreSet("Ann", "5");
        // the instant the rewind goes back to; after it:
        EventEnvelope blueRenamed = board.teamRenamed("Blue", "Navy");
        EventEnvelope annMoves = board.joined("Ann", "Blue");
        EventEnvelope redRemoved = board.teamRemoved("Red");
        EventEnvelope green = board.teamCreated("Green");
        EventEnvelope bobJoins = board.joined("Bob", "Green");
        UUID redId = board.team("Red");
        UUID blueId = board.team("Blue");
        UUID greenId = board.team("Green");
        UUID annId = board.participant("Ann");
        UUID bobId = board.participant("Bob");
        EventEnvelope rewound = board.next(new ScoreboardRewoundEvent(board.id(), scored.occurredAt(), "wrong teams",
                List.of(new RewoundParticipant(annId, "Ann", new BigDecimal("5"), false, scored.position(), redId),
                        new RewoundParticipant(bobId, "Bob", BigDecimal.ZERO, false, bob.position(), null)),
                null, List.of(new RewoundTeam(redId, "Red", false), new RewoundTeam(blueId, "Blue", false),
                        new RewoundTeam(greenId, "Green", true))));

        BoardRow stored = applyBoth(board, created, ann, bob, red, blue, annJoins, scored, blueRenamed, annMoves,
                redRemoved, green, bobJoins, rewound);

        assertThat(stored.teams()).containsExactlyInAnyOrder(new TeamRow(redId, "Red", false),
                new TeamRow(blueId, "Blue", false), new TeamRow(greenId, "Green", true));
        assertThat(stored.participants()).extracting(ParticipantRow::name, ParticipantRow::teamId)
                .containsExactlyInAnyOrder(tuple("Ann", redId), tuple("Bob", null));
        assertThat(teamChanges(board.id())).filteredOn(r -> r.sequenceNumber() == rewound.sequenceNumber())
                .extracting(TeamChangeRow::teamId, TeamChangeRow::eventType, TeamChangeRow::name,
                        TeamChangeRow::removed)
                .containsExactlyInAnyOrder(tuple(redId, "ScoreboardRewound", "Red", false),
                        tuple(blueId, "ScoreboardRewound", "Blue", false),
                        tuple(greenId, "ScoreboardRewound", "Green", true));
        assertThat(participantChanges(board.id())).filteredOn(r -> r.sequenceNumber() == rewound.sequenceNumber())
                .extracting(ParticipantChangeRow::participantId, r -> r.delta().toPlainString(),
                        ParticipantChangeRow::teamId)
                .containsExactlyInAnyOrder(tuple(annId, "0", redId), tuple(bobId, "0", null));
        assertThat(boardChangeTypes(board.id())).endsWith("TeamCreated", "ScoreboardRewound");
    }

    @Test
    void aRewindWrittenBeforeTeams_leavesTeamsAlone() throws SQLException {
        BoardEvents board = new BoardEvents();
        EventEnvelope created = board.created("Quiz", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD);
        EventEnvelope ann = board.added("Ann");
        EventEnvelope scored = board.scoreSet("Ann", "5");
        EventEnvelope rewound = board.next(new ScoreboardRewoundEvent(board.id(), ann.occurredAt(), null, List.of(
                new RewoundParticipant(board.participant("Ann"), "Ann", BigDecimal.ZERO, false, ann.position())), null));

        BoardRow stored = applyBoth(board, created, ann, scored, rewound);

        assertThat(stored.teams()).isEmpty();
        assertThat(stored.history().teamChanges()).isZero();
        assertThat(participantChanges(board.id())).extracting(ParticipantChangeRow::teamId).containsOnlyNulls();
    }

    @Test
    void aTeamCreatedTwice_stopsTheProjection() throws SQLException {
        BoardEvents board = new BoardEvents();
        EventEnvelope created = board.created("Quiz", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD);
        EventEnvelope red = board.teamCreated("Red");
        EventEnvelope again = board.next(new TeamCreatedEvent(board.id(), board.team("Red"), "Rouge", null));
        assertRefused(board, List.of(created, red), again, "team " + board.team("Red") + " already exists");
    }

    @Test
    void renamingOrRemovingAnUnknownTeam_stopsTheProjection() throws SQLException {
        BoardEvents board = new BoardEvents();
        EventEnvelope created = board.created("Quiz", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD);
        UUID ghost = UUID.randomUUID();
        assertRefused(board, List.of(created), board.next(new TeamRenamedEvent(board.id(), ghost, "X", null)),
                "team " + ghost + " does not exist on this board");

        BoardEvents other = new BoardEvents();
        EventEnvelope otherCreated = other.created("Quiz", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD);
        assertRefused(other, List.of(otherCreated), other.next(new TeamRemovedEvent(other.id(), ghost, null)),
                "team " + ghost + " does not exist on this board");
    }

    @Test
    void renamingOrRemovingARemovedTeam_stopsTheProjection() throws SQLException {
        BoardEvents board = new BoardEvents();
        EventEnvelope created = board.created("Quiz", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD);
        EventEnvelope red = board.teamCreated("Red");
        EventEnvelope removed = board.teamRemoved("Red");
        List<EventEnvelope> before = List.of(created, red, removed);
        EventEnvelope rename = board.teamRenamed("Red", "Rouge");
        assertRefused(board, before, rename, "team " + board.team("Red") + " was removed");

        BoardEvents other = new BoardEvents();
        List<EventEnvelope> otherBefore = List.of(other.created("Quiz", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD),
                other.teamCreated("Red"), other.teamRemoved("Red"));
        assertRefused(other, otherBefore, other.teamRemoved("Red"), "team " + other.team("Red") + " was removed");
    }

    @Test
    void joiningAnUnknownOrRemovedTeam_stopsTheProjection() throws SQLException {
        BoardEvents board = new BoardEvents();
        List<EventEnvelope> before = List.of(board.created("Quiz", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD),
                board.added("Ann"));
        UUID ghost = UUID.randomUUID();
        assertRefused(board, before, board.next(new ParticipantTeamChangedEvent(board.id(), board.participant("Ann"),
                ghost, null)), "team " + ghost + " does not exist on this board");

        BoardEvents other = new BoardEvents();
        List<EventEnvelope> otherBefore = List.of(other.created("Quiz", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD),
                other.added("Ann"), other.teamCreated("Red"), other.teamRemoved("Red"));
        assertRefused(other, otherBefore, other.joined("Ann", "Red"), "team " + other.team("Red") + " was removed");
    }

    @Test
    void aTeamChangeOfARemovedOrUnknownParticipant_stopsTheProjection() throws SQLException {
        BoardEvents board = new BoardEvents();
        List<EventEnvelope> before = new ArrayList<>(List.of(
                board.created("Quiz", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD), board.added("Ann"),
                board.teamCreated("Red")));
        UUID annId = board.participant("Ann");
        before.add(board.removed("Ann"));
        assertRefused(board, before, board.next(new ParticipantTeamChangedEvent(board.id(), annId, board.team("Red"),
                null)), "participant " + annId + " was removed");

        BoardEvents other = new BoardEvents();
        List<EventEnvelope> otherBefore = List.of(other.created("Quiz", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD),
                other.teamCreated("Red"));
        UUID ghost = UUID.randomUUID();
        assertRefused(other, otherBefore, other.next(new ParticipantTeamChangedEvent(other.id(), ghost, null, null)),
                "participant " + ghost + " does not exist on this board");
    }

    @Test
    void aRewindOfATeamTheBoardNeverHad_orIntoARemovedTeam_orLeavingMembersInARemovedTeam_stopsTheProjection()
            throws SQLException {
        UUID ghost = UUID.randomUUID();
        BoardEvents unknown = new BoardEvents();
        List<EventEnvelope> before = List.of(unknown.created("Quiz", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD));
        assertRefused(unknown, before, unknown.next(new ScoreboardRewoundEvent(unknown.id(), Instant.now(), null,
                List.of(), null, List.of(new RewoundTeam(ghost, "Ghosts", false)))),
                "it rewinds team " + ghost + ", which is not on the board");

        BoardEvents removed = new BoardEvents();
        List<EventEnvelope> removedBefore = List.of(removed.created("Quiz", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD),
                removed.added("Ann"), removed.teamCreated("Red"), removed.teamRemoved("Red"));
        EventEnvelope intoRemoved = removed.next(new ScoreboardRewoundEvent(removed.id(), Instant.now(), null,
                List.of(new RewoundParticipant(removed.participant("Ann"), "Ann", BigDecimal.ZERO, false, 1,
                        removed.team("Red"))), null));
        assertRefused(removed, removedBefore, intoRemoved, "in team " + removed.team("Red") + ", which is removed");

        BoardEvents left = new BoardEvents();
        List<EventEnvelope> leftBefore = List.of(left.created("Quiz", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD),
                left.added("Ann"), left.teamCreated("Red"), left.joined("Ann", "Red"));
        EventEnvelope leavesMembers = left.next(new ScoreboardRewoundEvent(left.id(), Instant.now(), null, List.of(),
                null, List.of(new RewoundTeam(left.team("Red"), "Red", true))));
        assertRefused(left, leftBefore, leavesMembers, "leaves participants in it");
    }

    /**
     * Applies the events to the read database (one batch) and to a fold, and returns the stored board after
     * checking that both hold the same rows (and history digest).
     */
    private BoardRow applyBoth(BoardEvents board, EventEnvelope... events) throws SQLException {
        ScoreboardRecomputation memory = new ScoreboardRecomputation();
        for (EventEnvelope e : events) {
            memory.apply(e);
        }
        db.apply(projection, events);
        BoardRow stored = db.storedBoard(board.id());
        assertThat(stored).isEqualTo(memory.boards().get(board.id()));
        assertThat(stored.checksum()).isEqualTo(memory.boards().get(board.id()).checksum());
        return stored;
    }

    /** The event is refused, naming {@code problem}, by the live projection and by the fold; nothing is written. */
    private void assertRefused(BoardEvents board, List<EventEnvelope> before, EventEnvelope refused, String problem)
            throws SQLException {
        BoardRow stored = applyBoth(board, before.toArray(EventEnvelope[]::new));
        ScoreboardRecomputation memory = new ScoreboardRecomputation();
        before.forEach(memory::apply);
        assertThatThrownBy(() -> memory.apply(refused)).isInstanceOf(ProjectionException.class)
                .hasMessageContaining(problem);
        assertThatThrownBy(() -> db.apply(projection, refused)).isInstanceOf(ProjectionException.class)
                .hasMessageContaining(problem);
        assertThat(db.storedBoard(board.id())).isEqualTo(stored);
    }

    private List<TeamChangeRow> teamChanges(UUID board) throws SQLException {
        List<TeamChangeRow> rows = new ArrayList<>();
        try (Connection c = db.connect(); PreparedStatement p = c.prepareStatement("""
                SELECT scoreboard_id, team_id, sequence_number, position, occurred_at, event_type, name, removed,
                       token_id
                  FROM team_changes WHERE scoreboard_id = ? ORDER BY sequence_number, name""")) {
            p.setObject(1, board);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    rows.add(new TeamChangeRow(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getLong(3),
                            rs.getLong(4), rs.getTimestamp(5).toInstant(), rs.getString(6), rs.getString(7),
                            rs.getBoolean(8), rs.getObject(9, UUID.class)));
                }
            }
        }
        return rows;
    }

    private List<ParticipantChangeRow> participantChanges(UUID board) throws SQLException {
        List<ParticipantChangeRow> rows = new ArrayList<>();
        try (Connection c = db.connect(); PreparedStatement p = c.prepareStatement("""
                SELECT scoreboard_id, participant_id, sequence_number, position, occurred_at, event_type, delta,
                       reason, name, score, score_reached_position, removed, token_id, team_id
                  FROM participant_changes WHERE scoreboard_id = ? ORDER BY sequence_number, name""")) {
            p.setObject(1, board);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    rows.add(new ParticipantChangeRow(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                            rs.getLong(3), rs.getLong(4), rs.getTimestamp(5).toInstant(), rs.getString(6),
                            rs.getBigDecimal(7), rs.getString(8), rs.getString(9), rs.getBigDecimal(10),
                            rs.getLong(11), rs.getBoolean(12), rs.getObject(13, UUID.class),
                            rs.getObject(14, UUID.class)));
                }
            }
        }
        return rows;
    }

    private List<String> boardChangeTypes(UUID board) throws SQLException {
        List<String> types = new ArrayList<>();
        try (Connection c = db.connect(); PreparedStatement p = c.prepareStatement(
                "SELECT event_type FROM board_changes WHERE scoreboard_id = ? ORDER BY sequence_number")) {
            p.setObject(1, board);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    types.add(rs.getString(1));
                }
            }
        }
        return types;
    }
}
