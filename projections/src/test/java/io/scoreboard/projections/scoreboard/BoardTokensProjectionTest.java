package io.scoreboard.projections.scoreboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.FirstTokens;
import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreChangedEvent;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.events.TokenIssuedEvent;
import io.scoreboard.events.TokenKind;
import io.scoreboard.events.TokenRevokedEvent;
import io.scoreboard.projections.BoardEvents;
import io.scoreboard.projections.ProjectionException;
import io.scoreboard.projections.ReadDatabase;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A board's tokens in the read model ({@code board_tokens}) and the token each history row names: written by the
 * live projection exactly as the in-memory fold (a rebuild, a verification) produces them.
 */
class BoardTokensProjectionTest {

    @RegisterExtension
    static final ReadDatabase db = new ReadDatabase();
    private final ScoreboardProjection projection = new ScoreboardProjection();

    @Test
    void tokens_comeFromTheCreationAndTheTokenEvents_andHistoryNamesWhoWroteEachChange() throws SQLException {
        BoardEvents board = new BoardEvents();
        UUID admin = FirstTokens.adminTokenId(board.id());
        UUID table3 = UUID.randomUUID();
        EventEnvelope created = board.created("Quiz", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD);
        EventEnvelope ann = board.added("Ann");
        UUID annId = board.participant("Ann");
        EventEnvelope old = board.next(new ScoreChangedEvent(board.id(), annId, BigDecimal.ONE, BigDecimal.ONE, null));
        EventEnvelope issued = board.next(new TokenIssuedEvent(board.id(), table3, TokenKind.SCOREKEEPER, "Table 3",
                "table-3-hash", admin));
        EventEnvelope byTable3 = board.next(new ScoreChangedEvent(board.id(), annId, new BigDecimal("2"),
                new BigDecimal("3"), "quick", table3));
        EventEnvelope revoked = board.next(new TokenRevokedEvent(board.id(), table3, admin));
        List<EventEnvelope> events = List.of(created, ann, old, issued, byTable3, revoked);

        ScoreboardRecomputation memory = new ScoreboardRecomputation();
        events.forEach(memory::apply);
        db.apply(projection, events.toArray(EventEnvelope[]::new));

        BoardRow stored = db.storedBoard(board.id());
        assertThat(stored.tokens()).extracting(TokenRow::tokenId, TokenRow::kind, TokenRow::label, TokenRow::tokenHash)
                .containsExactlyInAnyOrder(
                        tuple(admin, "ADMIN", FirstTokens.ADMIN_LABEL, "admin-hash"),
                        tuple(FirstTokens.scorekeeperTokenId(board.id()), "SCOREKEEPER", FirstTokens.SCOREKEEPER_LABEL,
                                "keeper-hash"),
                        tuple(table3, "SCOREKEEPER", "Table 3", "table-3-hash"));
        TokenRow table3Row = stored.tokens().stream().filter(t -> t.tokenId().equals(table3)).findFirst().orElseThrow();
        assertThat(table3Row.issuedAt()).isEqualTo(BoardRow.micros(issued.occurredAt()));
        assertThat(table3Row.revokedAt()).isEqualTo(BoardRow.micros(revoked.occurredAt()));
        assertThat(stored).as("the fold and the live projection agree, tokens and history included")
                .isEqualTo(memory.boards().get(board.id()));

        List<HistoryEntry> history;
        try (Connection c = db.connect()) {
            history = new ScoreHistoryReader().page(c, board.id(), null, 10, Long.MAX_VALUE).entries();
        }
        assertThat(history).extracting(HistoryEntry::position, HistoryEntry::tokenId, HistoryEntry::tokenLabel)
                .containsExactly(
                        tuple(byTable3.position(), table3, "Table 3"),
                        tuple(old.position(), null, null)); // written before tokens were recorded: none invented
    }

    @Test
    void aTokenEventTheBoardCannotHave_stopsTheProjectionLoudly() throws SQLException {
        BoardEvents board = new BoardEvents();
        UUID admin = FirstTokens.adminTokenId(board.id());
        db.apply(projection, board.created("Quiz", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD));

        EventEnvelope unknown = board.next(new TokenRevokedEvent(board.id(), UUID.randomUUID(), admin));
        assertThatThrownBy(() -> db.apply(projection, unknown)).isInstanceOf(ProjectionException.class)
                .hasMessageContaining("does not have or revoked before");
        BoardEvents again = new BoardEvents();
        db.apply(projection, again.created("Quiz", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD));
        EventEnvelope duplicate = again.next(new TokenIssuedEvent(again.id(), FirstTokens.adminTokenId(again.id()),
                TokenKind.READER, "again", "h", admin));
        assertThatThrownBy(() -> db.apply(projection, duplicate)).isInstanceOf(ProjectionException.class)
                .hasMessageContaining("already has token");
    }
}
