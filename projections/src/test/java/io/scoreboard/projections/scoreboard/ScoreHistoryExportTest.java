package io.scoreboard.projections.scoreboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.projections.BoardEvents;
import io.scoreboard.projections.ReadDatabase;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The history export read in chunks (docs/adr/0025): the same rows in the same order whatever the chunk
 * size, no connection held while the receiver waits, bounded by the position it started from, and a
 * clear failure when the read model loses the board's rows under it.
 */
class ScoreHistoryExportTest {

    @RegisterExtension
    static final ReadDatabase db = new ReadDatabase();
    private final ScoreboardProjection projection = new ScoreboardProjection();
    private final OpenConnections connections = new OpenConnections();

    /** A board of five with three rounds (15 rows), a single change and an undo of the last round (5 rows). */
    private record Board(BoardEvents events, EventEnvelope undone, EventEnvelope undo) {}

    private Board board() throws SQLException {
        BoardEvents board = new BoardEvents();
        List<EventEnvelope> events = new ArrayList<>();
        events.add(board.created("Chunks", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD));
        for (String name : List.of("Ann", "Bob", "Cid", "Dee", "Eve")) {
            events.add(board.added(name));
        }
        events.add(board.round("R1", "Ann=1", "Bob=2", "Cid=3", "Dee=4", "Eve=5"));
        events.add(board.scoreSet("Cid", "30"));
        events.add(board.round("R2", "Ann=6", "Bob=7", "Cid=8", "Dee=9", "Eve=10"));
        EventEnvelope last = board.round("R3", "Ann=11", "Bob=12", "Cid=13", "Dee=14", "Eve=15");
        events.add(last);
        EventEnvelope undo = board.undo();
        events.add(undo);
        db.apply(projection, events.toArray(EventEnvelope[]::new));
        return new Board(board, last, undo);
    }

    @Test
    void chunksThatSplitRounds_giveTheRowsOfOneStatement_inOrder() throws Exception {
        Board board = board();
        UUID id = board.events().id();
        long upTo = board.undo().position();
        List<HistoryEntry> whole = export(new ScoreHistoryExport(), id, upTo, null);
        assertThat(whole).hasSize(5 + 1 + 5 + 5 + 5);
        assertThat(whole).extracting(HistoryEntry::position).isSorted();
        for (int chunk : new int[] {1, 3, 4, 5, 7}) {
            assertThat(export(new ScoreHistoryExport(chunk), id, upTo, null)).as("chunks of %d", chunk)
                    .containsExactlyElementsOf(whole);
        }
        UUID cid = board.events().participant("Cid");
        List<HistoryEntry> cids = export(new ScoreHistoryExport(2), id, upTo, cid);
        assertThat(cids).extracting(HistoryEntry::participantId).containsOnly(cid);
        assertThat(cids).containsExactlyElementsOf(whole.stream().filter(e -> e.participantId().equals(cid)).toList());
        assertThat(cids).extracting(HistoryEntry::sequenceNumber).isSorted().doesNotHaveDuplicates();
        assertThat(whole).filteredOn(e -> e.position() == board.undone().position())
                .extracting(HistoryEntry::undone).containsOnly(true);
    }

    @Test
    void theExport_endsAtThePositionItStartedFrom_andAnUndoAfterItDoesNotMarkAnything() throws Exception {
        Board board = board();
        List<HistoryEntry> before = export(new ScoreHistoryExport(3), board.events().id(), board.undone().position(),
                null);
        assertThat(before).extracting(HistoryEntry::position).allMatch(p -> p <= board.undone().position());
        assertThat(before).hasSize(5 + 1 + 5 + 5);
        assertThat(before).extracting(HistoryEntry::undone).containsOnly(false);
    }

    @Test
    void noConnectionIsHeld_whileTheReceiverWaits() throws Exception {
        Board board = board();
        AtomicInteger received = new AtomicInteger();
        long sent = new ScoreHistoryExport(4).forEachChange(connections, board.events().id(), board.undo().position(),
                null, null, null, change -> {
                    assertThat(connections.open.get()).as("connections open while the client is written to").isZero();
                    received.incrementAndGet();
                });
        assertThat(sent).isEqualTo(21).isEqualTo(received.get());
        assertThat(connections.borrowed.get()).as("one per chunk: 21 rows in chunks of 4").isEqualTo(6);
    }

    @Test
    void aBoardBehindWhereTheExportStarted_stopsItWithAnErrorInsteadOfAShortFile() throws Exception {
        Board board = board();
        UUID id = board.events().id();
        long cut = board.undone().position() - 1;
        // A rebuild starts while the client reads the first chunk: the board is back at an earlier position.
        AtomicInteger received = new AtomicInteger();
        assertThatThrownBy(() -> new ScoreHistoryExport(4).forEachChange(connections, id, board.undo().position(),
                null, null, null, change -> {
                    if (received.incrementAndGet() == 1) {
                        rebuildStartedAt(id, cut);
                    }
                }))
                .isInstanceOf(ScoreHistoryExport.HistoryMovedException.class)
                .hasMessageContaining(id.toString()).hasMessageContaining("export again");
    }

    private void rebuildStartedAt(UUID id, long position) {
        // As a rebuild's fresh copy has it (the app role may not delete history rows: they are append-only).
        try (Connection c = db.connect();
             PreparedStatement board = c.prepareStatement(
                     "UPDATE scoreboards SET last_position = ? WHERE scoreboard_id = ?")) {
            board.setLong(1, position);
            board.setObject(2, id);
            board.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<HistoryEntry> export(ScoreHistoryExport export, UUID id, long upTo, UUID participant)
            throws Exception {
        List<HistoryEntry> rows = new ArrayList<>();
        long sent = export.forEachChange(connections, id, upTo, participant, null, null, rows::add);
        assertThat(sent).isEqualTo(rows.size());
        return rows;
    }

    /** Real connections to the test database, counted while they are open. */
    private static final class OpenConnections implements DataSource {
        final AtomicInteger open = new AtomicInteger();
        final AtomicInteger borrowed = new AtomicInteger();

        @Override
        public Connection getConnection() throws SQLException {
            Connection real = db.connect();
            open.incrementAndGet();
            borrowed.incrementAndGet();
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("close")) {
                            open.decrementAndGet();
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        @Override
        public Connection getConnection(String username, String password) {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.io.PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(java.io.PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public java.util.logging.Logger getParentLogger() {
            return java.util.logging.Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> type) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }
}
