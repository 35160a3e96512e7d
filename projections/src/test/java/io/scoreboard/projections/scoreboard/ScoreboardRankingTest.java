package io.scoreboard.projections.scoreboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.projections.BoardEvents;
import io.scoreboard.projections.ReadDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Ranks as the read model computes them. The board: Ann 10, Bob 7, Cid 10, Dan 3, Eve 7, where the
 * scores were reached in the order Cid, Eve, Ann, Bob, Dan (ORDINAL gives ties to the first).
 * Each row lists "name:rank" in the order the API returns them (by rank, then name).
 */
class ScoreboardRankingTest {

    @RegisterExtension
    static final ReadDatabase db = new ReadDatabase();
    private final ScoreboardProjection projection = new ScoreboardProjection();

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            STANDARD | HIGHEST_FIRST | Ann:1 Cid:1 Bob:3 Eve:3 Dan:5
            DENSE    | HIGHEST_FIRST | Ann:1 Cid:1 Bob:2 Eve:2 Dan:3
            ORDINAL  | HIGHEST_FIRST | Cid:1 Ann:2 Eve:3 Bob:4 Dan:5
            STANDARD | LOWEST_FIRST  | Dan:1 Bob:2 Eve:2 Ann:4 Cid:4
            DENSE    | LOWEST_FIRST  | Dan:1 Bob:2 Eve:2 Ann:3 Cid:3
            ORDINAL  | LOWEST_FIRST  | Dan:1 Eve:2 Bob:3 Cid:4 Ann:5
            """)
    void ranks_followTheBoardsRankingAndOrder(Ranking ranking, ScoreOrder order, String expected) throws SQLException {
        BoardEvents board = new BoardEvents();
        db.apply(projection, board.created("Ranks", order, ranking),
                board.added("Ann"), board.added("Bob"), board.added("Cid"), board.added("Dan"), board.added("Eve"),
                board.scoreSet("Cid", "10"), board.scoreSet("Eve", "7"), board.scoreSet("Ann", "10"),
                board.scoreSet("Bob", "7"), board.scoreSet("Dan", "3"));

        assertThat(ranks(board.id())).isEqualTo(expected);
    }

    /** Same board and expectations as above, but created under other rules and then changed to these. */
    @ParameterizedTest(name = "changed to {0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            STANDARD | HIGHEST_FIRST | Ann:1 Cid:1 Bob:3 Eve:3 Dan:5
            DENSE    | HIGHEST_FIRST | Ann:1 Cid:1 Bob:2 Eve:2 Dan:3
            ORDINAL  | HIGHEST_FIRST | Cid:1 Ann:2 Eve:3 Bob:4 Dan:5
            STANDARD | LOWEST_FIRST  | Dan:1 Bob:2 Eve:2 Ann:4 Cid:4
            DENSE    | LOWEST_FIRST  | Dan:1 Bob:2 Eve:2 Ann:3 Cid:3
            ORDINAL  | LOWEST_FIRST  | Dan:1 Eve:2 Bob:3 Cid:4 Ann:5
            """)
    void rankingRulesChanged_reRanksTheBoard(Ranking ranking, ScoreOrder order, String expected) throws SQLException {
        Ranking otherRanking = Ranking.values()[(ranking.ordinal() + 1) % Ranking.values().length];
        ScoreOrder otherOrder = order == ScoreOrder.HIGHEST_FIRST ? ScoreOrder.LOWEST_FIRST : ScoreOrder.HIGHEST_FIRST;
        BoardEvents board = new BoardEvents();
        db.apply(projection, board.created("Ranks", otherOrder, otherRanking),
                board.added("Ann"), board.added("Bob"), board.added("Cid"), board.added("Dan"), board.added("Eve"),
                board.scoreSet("Cid", "10"), board.scoreSet("Eve", "7"), board.scoreSet("Ann", "10"),
                board.scoreSet("Bob", "7"), board.scoreSet("Dan", "3"));
        String before = ranks(board.id());

        db.apply(projection, board.rulesChanged(order, ranking));

        assertThat(ranks(board.id())).isEqualTo(expected).isNotEqualTo(before);
        try (Connection c = db.connect()) {
            ScoreboardView view = new ScoreboardReader().find(c, board.id()).orElseThrow();
            assertThat(view.scoreOrder()).isEqualTo(order);
            assertThat(view.ranking()).isEqualTo(ranking);
        }
    }

    @Test
    void rankingRulesChanged_toOrdinalAndBack_keepsWhoReachedTheScoreFirst() throws SQLException {
        BoardEvents board = new BoardEvents();
        db.apply(projection, board.created("Switch", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD),
                board.added("Ann"), board.added("Bob"), board.round("Round 1", "Bob=4", "Ann=2"),
                board.scoreSet("Ann", "4"));
        assertThat(ranks(board.id())).isEqualTo("Ann:1 Bob:1");

        db.apply(projection, board.rulesChanged(ScoreOrder.HIGHEST_FIRST, Ranking.ORDINAL));
        assertThat(ranks(board.id())).isEqualTo("Bob:1 Ann:2");

        db.apply(projection, board.rulesChanged(ScoreOrder.HIGHEST_FIRST, Ranking.DENSE));
        assertThat(ranks(board.id())).isEqualTo("Ann:1 Bob:1");
    }

    @Test
    void ordinal_givesATieToWhoeverReachedTheScoreFirst_evenAfterMovingAwayAndBack() throws SQLException {
        BoardEvents board = new BoardEvents();
        db.apply(projection, board.created("Back and forth", ScoreOrder.HIGHEST_FIRST, Ranking.ORDINAL),
                board.added("Ann"), board.added("Bob"),
                board.scoreSet("Ann", "5"), board.scoreSet("Bob", "5"),
                // Ann leaves 5 and comes back: she reached her current score after Bob.
                board.scoreSet("Ann", "6"), board.scoreSet("Ann", "5"));

        assertThat(ranks(board.id())).isEqualTo("Bob:1 Ann:2");
    }

    @Test
    void ranks_compareExactDecimalsAndNegatives() throws SQLException {
        BoardEvents board = new BoardEvents();
        List<EventEnvelope> events = new ArrayList<>(List.of(
                board.created("Decimals", ScoreOrder.HIGHEST_FIRST, Ranking.DENSE),
                board.added("Ann"), board.added("Bob"), board.added("Cid"), board.added("Dan")));
        events.add(board.scoreSet("Ann", "-1.5"));
        events.add(board.scoreSet("Bob", "0.0001"));
        events.add(board.scoreSet("Cid", "-1.50"));
        events.add(board.scoreSet("Dan", "999999999999999.9999"));
        db.apply(projection, events.toArray(EventEnvelope[]::new));

        assertThat(ranks(board.id())).isEqualTo("Dan:1 Bob:2 Ann:3 Cid:3");
    }

    @Test
    void aBoardWithoutParticipants_hasAnEmptyRanking() throws SQLException {
        BoardEvents board = new BoardEvents();
        db.apply(projection, board.created("Empty", ScoreOrder.LOWEST_FIRST, Ranking.STANDARD));

        assertThat(ranks(board.id())).isEmpty();
    }

    private static String ranks(UUID board) throws SQLException {
        try (Connection c = db.connect()) {
            return new ScoreboardReader().find(c, board).orElseThrow().participants().stream()
                    .map(p -> p.name() + ":" + p.rank())
                    .reduce((a, b) -> a + " " + b).orElse("");
        }
    }
}
