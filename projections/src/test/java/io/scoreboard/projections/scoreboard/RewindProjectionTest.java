package io.scoreboard.projections.scoreboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.Ranking;
import io.scoreboard.events.RewoundParticipant;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.events.ScoreboardRewoundEvent;
import io.scoreboard.projections.BoardEvents;
import io.scoreboard.projections.ProjectionException;
import io.scoreboard.projections.ReadDatabase;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A rewind in the read model (ADR 0044): each participant it lists gets every column it names, brought back or
 * removed, with a history row of its score change; the live projection and the in-memory fold (rebuild, verify)
 * write the same rows.
 */
class RewindProjectionTest {

    @RegisterExtension
    static final ReadDatabase db = new ReadDatabase();
    private final ScoreboardProjection projection = new ScoreboardProjection();

    @Test
    void aRewind_setsEachListedParticipant_andRecordsItsChange_asTheFoldDoes() throws SQLException {
        BoardEvents board = new BoardEvents();
        EventEnvelope created = board.created("Quiz", ScoreOrder.HIGHEST_FIRST, Ranking.ORDINAL);
        EventEnvelope ann = board.added("Ann");
        EventEnvelope bob = board.added("Bob");
        UUID annId = board.participant("Ann");
        UUID bobId = board.participant("Bob");
        EventEnvelope scored = board.scoreSet("Ann", "7");
        EventEnvelope removed = board.removed("Bob");
        EventEnvelope rewound = board.next(new ScoreboardRewoundEvent(board.id(), Instant.parse("2026-11-24T21:00:00Z"),
                "void question", List.of(
                        new RewoundParticipant(annId, "Annie", new BigDecimal("2.5"), false, ann.position()),
                        new RewoundParticipant(bobId, "Bob", BigDecimal.ZERO, false, bob.position())), null));
        List<EventEnvelope> events = List.of(created, ann, bob, scored, removed, rewound);

        ScoreboardRecomputation memory = new ScoreboardRecomputation();
        events.forEach(memory::apply);
        db.apply(projection, events.toArray(EventEnvelope[]::new));

        BoardRow stored = db.storedBoard(board.id());
        assertThat(stored).isEqualTo(memory.boards().get(board.id()));
        assertThat(stored.participants()).extracting(ParticipantRow::name, p -> p.score().toPlainString(),
                        ParticipantRow::scoreReachedPosition, ParticipantRow::removed)
                .containsExactlyInAnyOrder(tuple("Annie", "2.5", ann.position(), false),
                        tuple("Bob", "0", bob.position(), false));
        List<HistoryEntry> history;
        try (Connection c = db.connect()) {
            history = new ScoreHistoryReader().page(c, board.id(), null, 10, Long.MAX_VALUE).entries();
        }
        assertThat(history).extracting(HistoryEntry::participantName, HistoryEntry::type,
                        e -> e.delta().toPlainString(), HistoryEntry::reason)
                .containsExactlyInAnyOrder(tuple("Annie", "ScoreboardRewound", "-4.5", "void question"),
                        tuple("Bob", "ScoreboardRewound", "0", "void question"),
                        tuple("Ann", "ScoreChanged", "7", null));
    }

    @Test
    void aRewindOfAParticipantTheBoardNeverHad_stopsTheProjectionLoudly() throws SQLException {
        BoardEvents board = new BoardEvents();
        db.apply(projection, board.created("Quiz", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD));
        EventEnvelope rewound = board.next(new ScoreboardRewoundEvent(board.id(), Instant.now(), null, List.of(
                new RewoundParticipant(UUID.randomUUID(), "Ghost", BigDecimal.ONE, false, 1)), null));
        assertThatThrownBy(() -> db.apply(projection, rewound)).isInstanceOf(ProjectionException.class)
                .hasMessageContaining("not on the board");
    }
}
