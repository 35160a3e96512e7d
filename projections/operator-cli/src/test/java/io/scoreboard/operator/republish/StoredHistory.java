package io.scoreboard.operator.republish;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.EventJson;
import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.operator.source.StoredEvents;
import io.scoreboard.projections.BoardEvents;
import io.scoreboard.testsupport.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Boards' histories written into a test event store as Axon's JDBC engine writes them. */
final class StoredHistory {

    private StoredHistory() {}

    /** {@code boards} boards of {@code scoresPerBoard} score changes each, their events interleaved across boards. */
    static void append(TestDatabases databases, int boards, int scoresPerBoard) throws SQLException {
        List<List<EventEnvelope>> histories = new ArrayList<>();
        for (int b = 0; b < boards; b++) {
            BoardEvents board = new BoardEvents();
            List<EventEnvelope> history = new ArrayList<>(List.of(
                    board.created("Board " + b, ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD),
                    board.added("Ann"), board.added("Bob")));
            for (int s = 1; s <= scoresPerBoard; s++) {
                history.add(board.scoreSet(s % 2 == 0 ? "Ann" : "Bob", Integer.toString(s)));
            }
            histories.add(history);
        }
        try (Connection c = owner(databases); PreparedStatement insert = c.prepareStatement("""
                INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type,
                                                time_stamp, payload_type, payload_revision, payload)
                VALUES (?, ?, ?, 'Scoreboard', ?, ?, ?, ?)""")) {
            for (int i = 0; histories.stream().anyMatch(h -> !h.isEmpty()); i++) {
                for (List<EventEnvelope> history : histories) {
                    if (!history.isEmpty()) {
                        EventEnvelope e = history.remove(0);
                        insert.setString(1, e.eventId().toString());
                        insert.setString(2, e.scoreboardId().toString());
                        insert.setLong(3, e.sequenceNumber());
                        insert.setString(4, e.occurredAt().toString());
                        insert.setString(5, e.type());
                        insert.setString(6, Integer.toString(e.typeVersion()));
                        insert.setBytes(7, EventJson.writePayload(e.payload()));
                        insert.addBatch();
                    }
                }
            }
            insert.executeBatch();
        }
    }

    /** Every stored event, in position order, as republish reads them. */
    static List<EventEnvelope> read(TestDatabases databases) throws SQLException {
        List<EventEnvelope> events = new ArrayList<>();
        try (Connection c = owner(databases)) {
            StoredEvents.beginSnapshot(c);
            StoredEvents.forEach(c, 0, events::add);
            c.rollback();
        }
        return events;
    }

    static Connection owner(TestDatabases databases) throws SQLException {
        return DriverManager.getConnection(databases.eventsJdbcUrl(), databases.ownerRole().user(),
                databases.ownerRole().password());
    }
}
