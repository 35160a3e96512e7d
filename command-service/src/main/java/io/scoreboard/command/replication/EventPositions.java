package io.scoreboard.command.replication;

import io.scoreboard.command.eventstore.EventStoreConfiguration;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Positions in the event store: the one Axon gave an appended event (it does not hand it back to the command). */
@Component
public class EventPositions {

    private static final String SQL = "SELECT global_index FROM " + EventStoreConfiguration.EVENT_TABLE
            + " WHERE aggregate_identifier = ? AND sequence_number = ?";

    private final JdbcTemplate jdbc;

    public EventPositions(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public long positionOf(UUID scoreboardId, long sequenceNumber) {
        Long position = jdbc.queryForObject(SQL, Long.class, scoreboardId.toString(), sequenceNumber);
        if (position == null) {
            throw new IllegalStateException("event " + scoreboardId + "/" + sequenceNumber + " is not in the store");
        }
        return position;
    }

    /** Whether the store holds an event at or below {@code position}. */
    /** Whether the store holds any event at all. */
    public boolean hasEvents() {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM "
                + EventStoreConfiguration.EVENT_TABLE + ")", Boolean.class));
    }

    public boolean anyAtOrBelow(long position) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM "
                + EventStoreConfiguration.EVENT_TABLE + " WHERE global_index <= ?)", Boolean.class, position));
    }
}
