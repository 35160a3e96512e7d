package io.scoreboard.projections.scoreboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.ExportedEvents;
import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.projections.BoardEvents;
import io.scoreboard.projections.ReadDatabase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The events export's chunks: every line once, in order, whatever the chunk size; a gap ends it loudly. */
class BoardEventsExportTest {

    @RegisterExtension
    static final ReadDatabase db = new ReadDatabase();

    @Test
    void everyLine_once_inOrder_acrossChunks() throws Exception {
        BoardEvents board = new BoardEvents();
        List<EventEnvelope> events = new ArrayList<>(List.of(board.created("Quiz", ScoreOrder.HIGHEST_FIRST,
                Ranking.STANDARD)));
        for (int i = 0; i < 9; i++) {
            events.add(board.added("P" + i));
        }
        db.apply(new ScoreboardProjection(), events.toArray(EventEnvelope[]::new));
        List<String> expected = events.stream().map(ExportedEvents::line).toList();

        for (int chunk : new int[] {1, 3, 5, 10, 1000}) {
            List<String> lines = new ArrayList<>();
            long sent = new BoardEventsExport(chunk).forEachLine(db.dataSource(), board.id(), 9, lines::add);
            assertThat(lines).as("chunks of %d", chunk).containsExactlyElementsOf(expected);
            assertThat(sent).isEqualTo(10);
        }
        List<String> upToFour = new ArrayList<>();
        new BoardEventsExport(3).forEachLine(db.dataSource(), board.id(), 4, upToFour::add);
        assertThat(upToFour).containsExactlyElementsOf(expected.subList(0, 5));
    }

    @Test
    void linesMissingFromTheReadModel_endTheExportWithWhatToDo() throws Exception {
        BoardEvents board = new BoardEvents();
        db.apply(new ScoreboardProjection(), board.created("Quiz", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD));
        List<String> lines = new ArrayList<>();
        assertThatThrownBy(() -> new BoardEventsExport(2).forEachLine(db.dataSource(), board.id(), 3, lines::add))
                .isInstanceOf(ScoreHistoryExport.HistoryMovedException.class)
                .hasMessageContaining("rebuild");
    }
}
