package io.scoreboard.projections.scoreboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.ParticipantAddedEvent;
import io.scoreboard.events.ScoreChangedEvent;
import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.projections.BoardEvents;
import io.scoreboard.projections.Projection;
import io.scoreboard.projections.ProjectionException;
import io.scoreboard.projections.ReadDatabase;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The in-memory fold (rebuild, verify) and the live JDBC projection are the same rules over two
 * stores: for random histories using every v1 event they must leave identical rows, and an event
 * one of them refuses the other refuses with the same message.
 */
class ScoreboardRecomputationTest {

    @RegisterExtension
    static final ReadDatabase db = new ReadDatabase();
    private final ScoreboardProjection projection = new ScoreboardProjection();

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void randomHistories_leaveTheSameRowsInMemoryAsInTheReadDatabase(long seed) throws SQLException {
        Random random = new Random(seed);
        List<EventEnvelope> events = new ArrayList<>();
        List<UUID> boardIds = new ArrayList<>();
        for (int b = 0; b < 3; b++) {
            BoardEvents board = new BoardEvents();
            boardIds.add(board.id());
            events.addAll(randomHistory(board, random, 60));
        }
        ScoreboardRecomputation memory = new ScoreboardRecomputation();
        events.forEach(memory::apply);
        db.apply(projection, events.toArray(EventEnvelope[]::new));

        Map<UUID, BoardRow> stored = storedBoards();
        for (UUID id : boardIds) {
            assertThat(memory.boards().get(id)).as("board " + id).isEqualTo(stored.get(id));
            assertThat(memory.boards().get(id).checksum()).isEqualTo(stored.get(id).checksum());
            assertThat(stored.get(id).history().participantChanges()).as("history recorded").isPositive();
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14})
    void randomHistoriesWithTeams_leaveTheSameRowsInMemoryAsInTheReadDatabase(long seed) throws SQLException {
        Random random = new Random(seed);
        List<EventEnvelope> events = new ArrayList<>();
        List<UUID> boardIds = new ArrayList<>();
        for (int b = 0; b < 3; b++) {
            BoardEvents board = new BoardEvents();
            boardIds.add(board.id());
            events.addAll(randomHistory(board, random, 80, true));
        }
        ScoreboardRecomputation memory = new ScoreboardRecomputation();
        events.forEach(memory::apply);
        db.apply(projection, events.toArray(EventEnvelope[]::new));

        Map<UUID, BoardRow> stored = storedBoards();
        for (UUID id : boardIds) {
            assertThat(memory.boards().get(id)).as("board " + id).isEqualTo(stored.get(id));
            assertThat(memory.boards().get(id).checksum()).isEqualTo(stored.get(id).checksum());
            assertThat(stored.get(id).history().teamChanges()).as("team history recorded").isPositive();
        }
    }

    @Test
    void duplicates_areSkippedInMemoryAsInTheDatabase() {
        BoardEvents board = new BoardEvents();
        EventEnvelope created = board.created("Quiz", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD);
        EventEnvelope added = board.added("Ann");
        ScoreboardRecomputation memory = new ScoreboardRecomputation();
        memory.apply(created);
        memory.apply(added);
        assertThat(memory.apply(added)).isEqualTo(Projection.Outcome.DUPLICATE);
        assertThat(memory.version(board.id())).hasValue(1);
    }

    @Test
    void refusedEvents_areRefusedWithTheSameMessage() throws SQLException {
        BoardEvents board = new BoardEvents();
        EventEnvelope created = board.created("Quiz", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD);
        EventEnvelope added = board.added("Ann");
        EventEnvelope removed = board.removed("Ann");
        UUID ann = ((ParticipantAddedEvent) added.payload()).participantId();
        EventEnvelope scoreOfRemoved = board.next(new ScoreChangedEvent(board.id(), ann, BigDecimal.ONE,
                BigDecimal.ONE, null));
        EventEnvelope gap = board.renamed("skips a sequence number");

        ScoreboardRecomputation memory = new ScoreboardRecomputation();
        List.of(created, added, removed).forEach(memory::apply);
        db.apply(projection, created, added, removed);

        String inMemory = messageOf(() -> memory.apply(scoreOfRemoved));
        String inDatabase = messageOf(() -> db.apply(projection, scoreOfRemoved));
        assertThat(inMemory).contains("was removed from this board").isEqualTo(inDatabase);
        assertThat(messageOf(() -> memory.apply(gap))).contains("gap in the board's events")
                .isEqualTo(messageOf(() -> db.apply(projection, gap)));
    }

    private static String messageOf(ThrowingRunnable action) {
        try {
            action.run();
        } catch (ProjectionException e) {
            return e.getMessage();
        } catch (Exception e) {
            throw new AssertionError("expected a ProjectionException, got " + e, e);
        }
        throw new AssertionError("expected a ProjectionException, but the event was applied");
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private Map<UUID, BoardRow> storedBoards() throws SQLException {
        Map<UUID, BoardRow> rows = new LinkedHashMap<>();
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            ReadModelRows.forEach(c, row -> rows.put(row.scoreboardId(), row));
            c.commit();
        }
        return rows;
    }

    /** A legal history: every event type, scores with decimals and negatives, ties, undo, removal. */
    static List<EventEnvelope> randomHistory(BoardEvents board, Random random, int length) {
        return randomHistory(board, random, length, false);
    }

    /**
     * As {@link #randomHistory(BoardEvents, Random, int)}, with team events among them when {@code teams}: teams
     * created, renamed and removed (with their members), participants joining, moving and leaving.
     */
    static List<EventEnvelope> randomHistory(BoardEvents board, Random random, int length, boolean teams) {
        List<EventEnvelope> events = new ArrayList<>();
        events.add(board.created("Board " + random.nextInt(100), random.nextBoolean() ? ScoreOrder.HIGHEST_FIRST
                : ScoreOrder.LOWEST_FIRST, Ranking.values()[random.nextInt(3)]));
        List<String> names = new ArrayList<>();
        int undoable = 0;
        boolean deleted = false;
        int nextName = 0;
        List<String> liveTeams = new ArrayList<>();
        int nextTeam = 0;
        for (int i = 0; i < length; i++) {
            int choice = random.nextInt(teams ? 14 : 10);
            if (deleted) {
                events.add(board.restored());
                deleted = false;
            } else if (choice >= 10 && names.size() >= 2) {
                if (liveTeams.isEmpty() || choice == 10) {
                    String team = "T" + nextTeam++;
                    liveTeams.add(team);
                    events.add(board.teamCreated(team));
                } else if (choice == 11) {
                    events.add(board.teamRenamed(liveTeams.get(random.nextInt(liveTeams.size())), "Team " + i));
                } else if (choice == 12 && liveTeams.size() > 1) {
                    events.add(board.teamRemoved(liveTeams.remove(random.nextInt(liveTeams.size()))));
                } else {
                    String team = random.nextInt(4) == 0 ? null : liveTeams.get(random.nextInt(liveTeams.size()));
                    events.add(board.joined(names.get(random.nextInt(names.size())), team));
                }
            } else if (names.size() < 2 || choice == 0) {
                String name = "P" + nextName++;
                names.add(name);
                events.add(board.added(name));
            } else if (choice <= 3) {
                String name = names.get(random.nextInt(names.size()));
                events.add(board.scoreSet(name, score(random)));
                undoable++;
            } else if (choice == 4) {
                String a = names.get(0);
                String b = names.get(names.size() - 1);
                events.add(a.equals(b) ? board.scoreSet(a, score(random))
                        : board.round("round " + i, a + "=" + score(random), b + "=" + score(random)));
                undoable++;
            } else if (choice == 5 && undoable > 0) {
                events.add(board.undo());
                undoable--;
            } else if (choice == 6) {
                String old = names.remove(random.nextInt(names.size()));
                String renamed = "P" + nextName++;
                names.add(renamed);
                events.add(board.participantRenamed(old, renamed));
            } else if (choice == 7 && names.size() > 2) {
                events.add(board.removed(names.remove(random.nextInt(names.size()))));
            } else if (choice == 8) {
                events.add(random.nextBoolean() ? board.renamed("Board " + i)
                        : board.rulesChanged(ScoreOrder.values()[random.nextInt(2)], Ranking.values()[random.nextInt(3)]));
            } else {
                events.add(board.deleted());
                deleted = true;
            }
        }
        return events;
    }

    /** Small range so ties happen; sometimes decimals or negatives; sometimes the same score again (delta 0). */
    private static String score(Random random) {
        int whole = random.nextInt(7) - 2;
        return random.nextInt(4) == 0 ? whole + ".25" : Integer.toString(whole);
    }
}
