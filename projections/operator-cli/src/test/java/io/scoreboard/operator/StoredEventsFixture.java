package io.scoreboard.operator;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.EventJson;
import io.scoreboard.testsupport.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** Writes events into a test event store with the columns the command side's Axon engine fills. */
public final class StoredEventsFixture {

    private StoredEventsFixture() {}

    public static void insert(TestDatabases databases, List<EventEnvelope> events) throws SQLException {
        try (Connection c = DriverManager.getConnection(databases.eventsJdbcUrl(), databases.ownerRole().user(),
                databases.ownerRole().password());
             PreparedStatement p = c.prepareStatement("""
                     INSERT INTO domain_event_entry (global_index, event_identifier, aggregate_identifier,
                            sequence_number, type, time_stamp, payload_type, payload_revision, payload, meta_data)
                     VALUES (?, ?, ?, ?, 'Scoreboard', ?, ?, ?, ?, ?)""")) {
            for (EventEnvelope e : events) {
                p.setLong(1, e.position());
                p.setString(2, e.eventId().toString());
                p.setString(3, e.scoreboardId().toString());
                p.setLong(4, e.sequenceNumber());
                p.setString(5, e.occurredAt().toString());
                p.setString(6, e.type());
                p.setString(7, Integer.toString(e.typeVersion()));
                p.setBytes(8, EventJson.writePayload(e.payload()));
                p.setBytes(9, "{}".getBytes(StandardCharsets.UTF_8));
                p.addBatch();
            }
            p.executeBatch();
        }
    }
}
