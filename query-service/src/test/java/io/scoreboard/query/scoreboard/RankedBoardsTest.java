package io.scoreboard.query.scoreboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.projections.scoreboard.BoardSlice;
import io.scoreboard.projections.scoreboard.BoardTeam;
import io.scoreboard.projections.scoreboard.RankedParticipant;
import io.scoreboard.projections.scoreboard.ScoreboardView;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RankedBoardsTest {

    private static final UUID BOARD = new UUID(1, 1);

    @Test
    void get_answersOnlyTheVersionThatWasRanked() {
        RankedBoards cache = new RankedBoards(100);
        cache.put(board(BOARD, 7, 3));

        assertThat(cache.get(BOARD, 7)).isPresent();
        assertThat(cache.get(BOARD, 8)).isEmpty();
        assertThat(cache.get(new UUID(2, 2), 7)).isEmpty();
    }

    /** Pages and neighbourhoods cut from a kept board keep its teams and each participant's team (ADR 0046). */
    @Test
    void slices_keepTheBoardsTeams_andTheParticipantsTeam() {
        UUID team = new UUID(3, 3);
        ScoreboardView plain = board(BOARD, 7, 4);
        List<RankedParticipant> members = plain.participants().stream()
                .map(p -> new RankedParticipant(p.participantId(), p.name(), p.score(), p.rank(), team)).toList();
        RankedBoards.RankedBoard ranked = new RankedBoards(100).put(new ScoreboardView(BOARD, "Board",
                ScoreOrder.HIGHEST_FIRST, Ranking.DENSE, false, 7, 70, members, List.of(new BoardTeam(team, "Red"))));

        for (BoardSlice slice : List.of(ranked.page(2, 1), ranked.around(participant(2), 1))) {
            assertThat(slice.board().teams()).containsExactly(new BoardTeam(team, "Red"));
            assertThat(slice.board().participants()).extracting(RankedParticipant::teamId).containsOnly(team);
        }
    }

    @Test
    void firstPage_isWrittenOncePerPageSize_andKeptForOneSizeAtATime() {
        RankedBoards.RankedBoard ranked = new RankedBoards(100).put(board(BOARD, 7, 30));
        List<Integer> written = new ArrayList<>();
        java.util.function.Function<BoardSlice, byte[]> write = page -> {
            written.add(page.board().participants().size());
            return ("rows " + page.board().participants().size()).getBytes();
        };

        byte[] first = ranked.firstPage(10, write);
        byte[] again = ranked.firstPage(10, write);
        byte[] other = ranked.firstPage(20, write);
        ranked.firstPage(10, write);

        assertThat(again).isSameAs(first);
        assertThat(new String(first)).isEqualTo("rows 10");
        assertThat(new String(other)).isEqualTo("rows 20");
        assertThat(written).containsExactly(10, 20, 10); // 20 replaced 10; 10 was written again
    }

    @Test
    void firstPage_longerThanTheKeptMaximum_isWrittenEachTime() {
        RankedBoards.RankedBoard ranked = new RankedBoards(1_000).put(board(BOARD, 7, 300));
        int[] writes = {0};
        java.util.function.Function<BoardSlice, byte[]> write = page -> {
            writes[0]++;
            return new byte[page.board().participants().size()];
        };
        int limit = RankedBoards.WRITTEN_PAGE_MAX_LIMIT + 1;

        assertThat(ranked.firstPage(limit, write)).hasSize(limit);
        assertThat(ranked.firstPage(limit, write)).hasSize(limit);
        assertThat(writes[0]).isEqualTo(2);
    }

    @Test
    void put_neverReplacesANewerVersionWithAnOlderOne() {
        RankedBoards cache = new RankedBoards(100);
        cache.put(board(BOARD, 8, 3));
        cache.put(board(BOARD, 7, 3));

        assertThat(cache.get(BOARD, 8)).isPresent();
        assertThat(cache.get(BOARD, 7)).isEmpty();
        assertThat(cache.participantsHeld()).isEqualTo(4);
    }

    @Test
    void put_dropsTheLeastRecentlyReadBoards_whenFull() {
        RankedBoards cache = new RankedBoards(12); // three boards of 3 participants (+1 each)
        UUID first = new UUID(0, 1);
        UUID second = new UUID(0, 2);
        cache.put(board(first, 1, 3));
        cache.put(board(second, 1, 3));
        cache.get(first, 1); // read: second is now the least recent
        cache.put(board(new UUID(0, 3), 1, 3));
        cache.put(board(new UUID(0, 4), 1, 3));

        assertThat(cache.get(first, 1)).isPresent();
        assertThat(cache.get(second, 1)).isEmpty();
        assertThat(cache.participantsHeld()).isLessThanOrEqualTo(12);
    }

    @Test
    void put_handsBackButDoesNotHold_aBoardBiggerThanTheCache() {
        RankedBoards cache = new RankedBoards(5);
        RankedBoards.RankedBoard ranked = cache.put(board(BOARD, 1, 10));

        assertThat(ranked.whole().participants()).hasSize(10);
        assertThat(cache.size()).isZero();
    }

    @Test
    void page_cutsByPlace_andCountsTheWholeBoard() {
        RankedBoards.RankedBoard ranked = RankedBoards.RankedBoard.of(board(BOARD, 1, 10));

        BoardSlice page = ranked.page(3, 2);
        assertThat(page.board().participants()).extracting(RankedParticipant::name).containsExactly("p2", "p3", "p4");
        assertThat(page.totalParticipants()).isEqualTo(10);
        assertThat(ranked.page(5, 8).board().participants()).hasSize(2);
        assertThat(ranked.page(5, 10).board().participants()).isEmpty();
        assertThat(ranked.page(5, Long.MAX_VALUE).board().participants()).isEmpty();
    }

    @Test
    void around_isThePlaceAndItsNeighbours_clippedAtTheEnds() {
        ScoreboardView whole = board(BOARD, 1, 10);
        RankedBoards.RankedBoard ranked = RankedBoards.RankedBoard.of(whole);

        assertThat(ranked.around(participant(5), 0).board().participants()).extracting(RankedParticipant::name)
                .containsExactly("p5");
        assertThat(ranked.around(participant(5), 2).board().participants()).extracting(RankedParticipant::name)
                .containsExactly("p3", "p4", "p5", "p6", "p7");
        assertThat(ranked.around(participant(0), 2).board().participants()).extracting(RankedParticipant::name)
                .containsExactly("p0", "p1", "p2");
        assertThat(ranked.around(participant(9), 1).board().participants()).extracting(RankedParticipant::name)
                .containsExactly("p8", "p9");
        assertThat(ranked.around(new UUID(9, 9), 1).board().participants()).isEmpty();
    }

    @Test
    void slices_keepTheBoardsOwnFields() {
        ScoreboardView whole = board(BOARD, 42, 4);
        BoardSlice page = RankedBoards.RankedBoard.of(whole).page(2, 0);

        assertThat(page.board().version()).isEqualTo(42);
        assertThat(page.board().lastPosition()).isEqualTo(420);
        assertThat(page.board().name()).isEqualTo(whole.name());
        assertThat(page.board().ranking()).isEqualTo(Ranking.DENSE);
    }

    private static UUID participant(int place) {
        return new UUID(7, place);
    }

    /** A board whose participants are listed in place order p0, p1, …; ranks tie in pairs. */
    private static ScoreboardView board(UUID id, long version, int participants) {
        List<RankedParticipant> ranked = new ArrayList<>();
        for (int i = 0; i < participants; i++) {
            ranked.add(new RankedParticipant(participant(i), "p" + i, BigDecimal.valueOf(100 - i / 2), i / 2 + 1));
        }
        return new ScoreboardView(id, "Board", ScoreOrder.HIGHEST_FIRST, Ranking.DENSE, false, version, version * 10,
                ranked);
    }
}
