package io.scoreboard.projections.scoreboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.projections.BoardEvents;
import io.scoreboard.projections.ReadDatabase;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * For random boards under every ranking and order, the ranks PostgreSQL computes agree with the
 * definitions (checked here in plain Java over the sorted scores), and pages and neighbourhoods
 * are exactly the matching slices of the whole listing. Scores come from a small set so that ties
 * are common; the same participant is often set several times, so who reached a score first
 * (ORDINAL) differs from who was added first.
 */
class ScoreboardRankPropertiesTest {

    private static final ReadDatabase db = new ReadDatabase();
    private final ScoreboardProjection projection = new ScoreboardProjection();
    private final ScoreboardReader reader = new ScoreboardReader();

    @BeforeContainer
    static void openDatabase() {
        db.open();
    }

    @AfterContainer
    static void closeDatabase() {
        db.close();
    }

    /** A board's rules, its participants' count and the score settings as (participant index, score). */
    record RandomBoard(Ranking ranking, ScoreOrder order, int participants, List<Map.Entry<Integer, String>> scoreSets) {}

    @Provide
    Arbitrary<RandomBoard> boards() {
        Arbitrary<Integer> size = Arbitraries.integers().between(1, 12);
        return size.flatMap(n -> Combinators.combine(
                Arbitraries.of(Ranking.class),
                Arbitraries.of(ScoreOrder.class),
                Combinators.combine(Arbitraries.integers().between(0, n - 1),
                                Arbitraries.of("-2", "0", "1", "1.5", "3", "3.0001", "10"))
                        .as(Map::entry).list().ofMaxSize(30))
                .as((ranking, order, sets) -> new RandomBoard(ranking, order, n, sets)));
    }

    @Property(tries = 150)
    void ranks_agreeWithTheSortedScores(@ForAll("boards") RandomBoard random) throws SQLException {
        UUID id = publish(random);
        try (Connection c = db.connect()) {
            List<RankedParticipant> listing = reader.find(c, id).orElseThrow().participants();
            assertThat(listing).hasSize(random.participants());
            Comparator<BigDecimal> better = random.order() == ScoreOrder.HIGHEST_FIRST
                    ? Comparator.reverseOrder() : Comparator.naturalOrder();
            switch (random.ranking()) {
                case STANDARD -> listing.forEach(p -> assertThat(p.rank()).as(p.name())
                        .isEqualTo(1 + listing.stream().filter(o -> better.compare(o.score(), p.score()) < 0).count()));
                case DENSE -> listing.forEach(p -> assertThat(p.rank()).as(p.name())
                        .isEqualTo(1 + listing.stream().filter(o -> better.compare(o.score(), p.score()) < 0)
                                .map(RankedParticipant::score).distinct().count()));
                case ORDINAL -> {
                    Map<UUID, Long> reachedAt = scoreReachedPositions(c, id);
                    Comparator<RankedParticipant> byScoreThenFirst = Comparator
                            .comparing(RankedParticipant::score, better)
                            .thenComparing(p -> reachedAt.get(p.participantId()));
                    List<RankedParticipant> expected = listing.stream().sorted(byScoreThenFirst).toList();
                    for (int i = 0; i < expected.size(); i++) {
                        assertThat(expected.get(i).rank()).as(expected.get(i).name()).isEqualTo(i + 1);
                    }
                }
            }
            // The listing is by rank: what pages and neighbourhoods slice.
            assertThat(listing).isSortedAccordingTo(Comparator.comparingLong(RankedParticipant::rank));
        }
    }

    @Property(tries = 100)
    void pagesAndNeighbourhoods_areSlicesOfTheWholeListing(@ForAll("boards") RandomBoard random) throws SQLException {
        UUID id = publish(random);
        try (Connection c = db.connect()) {
            List<RankedParticipant> listing = reader.find(c, id).orElseThrow().participants();
            int n = listing.size();
            for (int limit = 1; limit <= 5; limit += 2) {
                for (int offset = 0; offset <= n + 1; offset++) {
                    BoardSlice page = reader.findPage(c, id, limit, offset).orElseThrow();
                    assertThat(page.totalParticipants()).isEqualTo(n);
                    assertThat(page.board().participants())
                            .isEqualTo(listing.subList(Math.min(offset, n), Math.min(offset + limit, n)));
                }
            }
            for (int index = 0; index < n; index++) {
                for (int radius = 0; radius <= 3; radius++) {
                    BoardSlice around = reader.findAround(c, id, listing.get(index).participantId(), radius)
                            .orElseThrow();
                    assertThat(around.board().participants())
                            .isEqualTo(listing.subList(Math.max(0, index - radius), Math.min(n, index + radius + 1)));
                }
            }
        }
    }

    private UUID publish(RandomBoard random) throws SQLException {
        BoardEvents board = new BoardEvents();
        List<EventEnvelope> events = new ArrayList<>();
        events.add(board.created("Random", random.order(), random.ranking()));
        for (int i = 0; i < random.participants(); i++) {
            events.add(board.added("P" + i));
        }
        random.scoreSets().forEach(set -> events.add(board.scoreSet("P" + set.getKey(), set.getValue())));
        db.apply(projection, events.toArray(EventEnvelope[]::new));
        return board.id();
    }

    private static Map<UUID, Long> scoreReachedPositions(Connection c, UUID scoreboardId) throws SQLException {
        Map<UUID, Long> positions = new HashMap<>();
        try (PreparedStatement p = c.prepareStatement(
                "SELECT participant_id, score_reached_position FROM participants WHERE scoreboard_id = ?")) {
            p.setObject(1, scoreboardId);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    positions.put(rs.getObject(1, UUID.class), rs.getLong(2));
                }
            }
        }
        return positions;
    }
}
