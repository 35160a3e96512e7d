package io.scoreboard.projections.scoreboard;

import static org.assertj.core.api.Assertions.assertThat;
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
import io.scoreboard.projections.ReadDatabase;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Team standings (ADR 0046) through the real projection: a team's score is the sum of its current members'
 * scores, ranked with the board's order and ranking; asOf reads teams and membership from the history, a window
 * sums the current members' points in it. The board read shows each participant's team and the board's teams.
 */
class TeamStandingsReaderTest {

    @RegisterExtension
    static final ReadDatabase db = new ReadDatabase();
    private final ScoreboardProjection projection = new ScoreboardProjection();
    private final TeamStandingsReader reader = new TeamStandingsReader();
    private final ScoreboardReader boards = new ScoreboardReader();

    /** A board's events with its teams named: team events are not in {@link BoardEvents}. */
    private static final class Teams {
        final BoardEvents board = new BoardEvents();
        final Map<String, UUID> ids = new HashMap<>();

        EventEnvelope created(String team) {
            UUID id = UUID.randomUUID();
            ids.put(team, id);
            return board.next(new TeamCreatedEvent(board.id(), id, team, null));
        }

        EventEnvelope renamed(String team, String name) {
            UUID id = ids.remove(team);
            ids.put(name, id);
            return board.next(new TeamRenamedEvent(board.id(), id, name, null));
        }

        EventEnvelope removed(String team) {
            return board.next(new TeamRemovedEvent(board.id(), ids.get(team), null));
        }

        EventEnvelope joins(String participant, String team) {
            return board.next(new ParticipantTeamChangedEvent(board.id(), board.participant(participant),
                    team == null ? null : ids.get(team), null));
        }

        UUID id(String team) {
            return ids.get(team);
        }
    }

    /**
     * Red (Ann 10 + Bob 5) and Blue (Cid 15) tie at 15; Green has nobody (0); Dan (20) has no team. Red's latest
     * member reached its score before Cid did (ORDINAL), although Blue comes first by name.
     */
    private Teams tiedBoard(ScoreOrder order, Ranking ranking) throws SQLException {
        Teams t = new Teams();
        BoardEvents b = t.board;
        db.apply(projection, b.created("Cup", order, ranking), b.added("Ann"), b.added("Bob"), b.added("Cid"),
                b.added("Dan"), t.created("Red"), t.created("Blue"), t.created("Green"), t.joins("Ann", "Red"),
                t.joins("Bob", "Red"), t.joins("Cid", "Blue"), b.scoreSet("Ann", "10"), b.scoreSet("Bob", "5"),
                b.scoreSet("Cid", "15"), b.scoreSet("Dan", "20"));
        return t;
    }

    private TeamStandings standings(Teams t, ReadScope scope) throws SQLException {
        try (Connection c = db.connect()) {
            return reader.find(c, t.board.id(), scope).orElseThrow();
        }
    }

    @ParameterizedTest
    @CsvSource({
            "HIGHEST_FIRST, STANDARD, 'Blue:15:1, Red:15:1, Green:0:3'",
            "HIGHEST_FIRST, DENSE,    'Blue:15:1, Red:15:1, Green:0:2'",
            "HIGHEST_FIRST, ORDINAL,  'Red:15:1, Blue:15:2, Green:0:3'",
            "LOWEST_FIRST,  STANDARD, 'Green:0:1, Blue:15:2, Red:15:2'",
            "LOWEST_FIRST,  ORDINAL,  'Green:0:1, Red:15:2, Blue:15:3'",
    })
    void teamsAreRanked_withTheBoardsOrderAndRanking(ScoreOrder order, Ranking ranking, String expected)
            throws SQLException {
        Teams t = tiedBoard(order, ranking);
        TeamStandings standings = standings(t, ReadScope.NOW);
        assertThat(standings.teams().stream().map(team -> team.name() + ":" + team.score().toPlainString() + ":"
                + team.rank()).toList()).isEqualTo(List.of(expected.split(", ")));
        assertThat(standings.board().scoreboardId()).isEqualTo(t.board.id());
        assertThat(standings.board().version()).isEqualTo(14);
    }

    @Test
    void eachTeamListsItsCurrentMembers_inTheirOrderOnTheBoard() throws SQLException {
        Teams t = tiedBoard(ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD);
        RankedTeam red = standings(t, ReadScope.NOW).teams().stream().filter(team -> team.name().equals("Red"))
                .findFirst().orElseThrow();
        assertThat(red.teamId()).isEqualTo(t.id("Red"));
        assertThat(red.members()).extracting(RankedParticipant::name, p -> p.score().toPlainString(),
                RankedParticipant::rank, RankedParticipant::teamId)
                .containsExactly(tuple("Ann", "10", 3L, t.id("Red")), tuple("Bob", "5", 4L, t.id("Red")));

        // The board read: each participant's team, and the board's teams by name.
        try (Connection c = db.connect()) {
            ScoreboardView board = boards.find(c, t.board.id()).orElseThrow();
            assertThat(board.participants()).extracting(RankedParticipant::name, RankedParticipant::teamId)
                    .containsExactly(tuple("Dan", null), tuple("Cid", t.id("Blue")), tuple("Ann", t.id("Red")),
                            tuple("Bob", t.id("Red")));
            assertThat(board.teams()).containsExactly(new BoardTeam(t.id("Blue"), "Blue"),
                    new BoardTeam(t.id("Green"), "Green"), new BoardTeam(t.id("Red"), "Red"));
            assertThat(boards.findPage(c, t.board.id(), 1, 2).orElseThrow().board().participants())
                    .extracting(RankedParticipant::teamId).containsExactly(t.id("Red"));
        }
    }

    @Test
    void removedTeamsAreNotListed_removedParticipantsDoNotCount_andAFormerTeamsMembersAreTeamless()
            throws SQLException {
        Teams t = tiedBoard(ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD);
        db.apply(projection, t.board.removed("Bob"), t.removed("Blue"));

        TeamStandings standings = standings(t, ReadScope.NOW);
        assertThat(standings.teams()).extracting(RankedTeam::name, team -> team.score().toPlainString(),
                RankedTeam::rank, team -> team.members().stream().map(RankedParticipant::name).toList())
                .containsExactly(tuple("Red", "10", 1L, List.of("Ann")), tuple("Green", "0", 2L, List.of()));
        try (Connection c = db.connect()) {
            ScoreboardView board = boards.find(c, t.board.id()).orElseThrow();
            assertThat(board.participants()).extracting(RankedParticipant::name, RankedParticipant::teamId)
                    .containsExactly(tuple("Dan", null), tuple("Cid", null), tuple("Ann", t.id("Red")));
            assertThat(board.teams()).extracting(BoardTeam::name).containsExactly("Green", "Red");
        }
    }

    @Test
    void aBoardWithoutTeams_hasNoStandings_andAnUnknownBoardNone() throws SQLException {
        BoardEvents b = new BoardEvents();
        db.apply(projection, b.created("Plain", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD), b.added("Ann"));
        try (Connection c = db.connect()) {
            assertThat(reader.find(c, b.id(), ReadScope.NOW).orElseThrow().teams()).isEmpty();
            assertThat(boards.find(c, b.id()).orElseThrow().teams()).isEmpty();
            assertThat(reader.find(c, UUID.randomUUID(), ReadScope.NOW)).isEmpty();
        }
    }

    @Test
    void asOf_readsTeamsNamesAndMembershipAsTheyWereThen() throws SQLException {
        Teams t = tiedBoard(ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD);
        EventEnvelope moved = t.joins("Ann", "Blue");
        EventEnvelope renamed = t.renamed("Red", "Crimson");
        EventEnvelope removed = t.removed("Green");
        EventEnvelope later = t.created("Late");
        db.apply(projection, moved, renamed, removed, later);

        Instant beforeMove = moved.occurredAt().minusMillis(1);
        assertThat(summary(standings(t, ReadScope.asOf(beforeMove))))
                .containsExactly("Blue:15:1[Cid]", "Red:15:1[Ann, Bob]", "Green:0:3[]");
        assertThat(standings(t, ReadScope.asOf(beforeMove)).board().version()).isEqualTo(14);
        assertThat(summary(standings(t, ReadScope.asOf(moved.occurredAt()))))
                .containsExactly("Blue:25:1[Cid, Ann]", "Red:5:2[Bob]", "Green:0:3[]");
        assertThat(summary(standings(t, ReadScope.asOf(removed.occurredAt()))))
                .as("renamed, Green removed, Late not created yet")
                .containsExactly("Blue:25:1[Cid, Ann]", "Crimson:5:2[Bob]");
        assertThat(summary(standings(t, ReadScope.NOW)))
                .containsExactly("Blue:25:1[Cid, Ann]", "Crimson:5:2[Bob]", "Late:0:3[]");
        try (Connection c = db.connect()) {
            assertThat(reader.find(c, t.board.id(), ReadScope.asOf(Instant.parse("2024-01-01T00:00:00Z"))))
                    .as("before the board existed").isEmpty();
        }
    }

    /** After every event, the board and the standings as of its time are what the live tables said then. */
    @Test
    void asOfEachEventsTime_isWhatTheLiveTablesServedThen() throws SQLException {
        Teams t = new Teams();
        BoardEvents b = t.board;
        List<EventEnvelope> events = List.of(b.created("Cup", ScoreOrder.LOWEST_FIRST, Ranking.ORDINAL),
                b.added("Ann"), t.created("Red"), b.added("Bob"), t.joins("Ann", "Red"), b.scoreSet("Ann", "4"),
                t.created("Blue"), t.joins("Bob", "Blue"), b.scoreSet("Bob", "4"), b.added("Cid"),
                t.joins("Cid", "Red"), b.scoreSet("Cid", "-1.5"), t.renamed("Red", "Crimson"), t.joins("Ann", "Blue"),
                b.undo(), b.removed("Bob"), t.removed("Blue"), t.created("Blue"), t.joins("Ann", "Blue"),
                t.joins("Cid", null), b.participantRenamed("Ann", "Anne"));
        List<ScoreboardView> boardsThen = new java.util.ArrayList<>();
        List<TeamStandings> standingsThen = new java.util.ArrayList<>();
        try (Connection c = db.connect()) {
            for (EventEnvelope event : events) {
                db.apply(projection, event);
                boardsThen.add(boards.find(c, b.id()).orElseThrow());
                standingsThen.add(reader.find(c, b.id(), ReadScope.NOW).orElseThrow());
            }
            for (int i = 0; i < events.size(); i++) {
                ReadScope then = ReadScope.asOf(events.get(i).occurredAt().plusMillis(500));
                assertThat(boards.find(c, b.id(), then)).as("board as of event %d", i).contains(boardsThen.get(i));
                assertThat(reader.find(c, b.id(), then)).as("standings as of event %d", i)
                        .contains(standingsThen.get(i));
            }
        }
        assertThat(summary(standingsThen.get(events.size() - 1))).containsExactly("Crimson:0:1[]", "Blue:4:2[Anne]");
    }

    /** ADR 0044 with teams: after rewind(to=t) the board and its standings are what ?asOf=t answers. */
    @Test
    void afterARewind_theBoardAndItsStandingsAreThoseAsOfItsInstant() throws SQLException {
        Teams t = new Teams();
        BoardEvents b = t.board;
        EventEnvelope bobAdded;
        db.apply(projection, b.created("Cup", ScoreOrder.HIGHEST_FIRST, Ranking.ORDINAL), b.added("Ann"),
                bobAdded = b.added("Bob"), t.created("Red"), t.joins("Ann", "Red"));
        EventEnvelope then = b.scoreSet("Ann", "5");
        db.apply(projection, then, t.created("Blue"), t.joins("Bob", "Blue"), t.renamed("Red", "Crimson"),
                b.scoreSet("Ann", "9"), t.removed("Crimson"));
        UUID red = t.id("Crimson");
        EventEnvelope rewound = b.next(new ScoreboardRewoundEvent(b.id(), then.occurredAt(), null, List.of(
                new RewoundParticipant(b.participant("Ann"), "Ann", new BigDecimal("5"), false, then.position(), red),
                new RewoundParticipant(b.participant("Bob"), "Bob", BigDecimal.ZERO, false, bobAdded.position(),
                        null)), null, List.of(new RewoundTeam(red, "Red", false), new RewoundTeam(t.id("Blue"), "Blue",
                true))));
        db.apply(projection, rewound);

        try (Connection c = db.connect()) {
            ScoreboardView now = boards.find(c, b.id()).orElseThrow();
            ScoreboardView asOf = boards.find(c, b.id(), ReadScope.asOf(then.occurredAt())).orElseThrow();
            assertThat(now.participants()).isEqualTo(asOf.participants());
            assertThat(now.teams()).isEqualTo(asOf.teams()).containsExactly(new BoardTeam(red, "Red"));
            assertThat(reader.find(c, b.id(), ReadScope.NOW).orElseThrow().teams())
                    .isEqualTo(reader.find(c, b.id(), ReadScope.asOf(then.occurredAt())).orElseThrow().teams());
        }
        assertThat(summary(standings(t, ReadScope.NOW))).containsExactly("Red:5:1[Ann]");
    }

    @Test
    void aWindow_sumsTheCurrentMembersPointsInIt() throws SQLException {
        Teams t = tiedBoard(ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD);
        EventEnvelope first = t.board.scoreSet("Ann", "13"); // +3 in the window
        EventEnvelope second = t.board.scoreSet("Cid", "16"); // +1 in the window
        EventEnvelope after = t.board.scoreSet("Bob", "50");  // after it
        db.apply(projection, first, second, after);

        assertThat(summary(standings(t, ReadScope.window(first.occurredAt(), after.occurredAt()))))
                .containsExactly("Red:3:1[Ann, Bob]", "Blue:1:2[Cid]", "Green:0:3[]");
        RankedTeam red = standings(t, ReadScope.window(first.occurredAt(), after.occurredAt())).teams().get(0);
        assertThat(red.members()).extracting(p -> p.score().toPlainString()).containsExactly("3", "0");
    }

    private static List<String> summary(TeamStandings standings) {
        return standings.teams().stream().map(team -> team.name() + ":" + team.score().toPlainString() + ":"
                + team.rank() + team.members().stream().map(RankedParticipant::name).toList()).toList();
    }
}
