package io.scoreboard.command.replication;

import io.scoreboard.startup.EventStoreTables;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Positions in the event store: the one Axon gave an appended event (it does not hand it back to the command). */
@Component
public class EventPositions {

    private static final String SQL = "SELECT global_index FROM " + EventStoreTables.EVENTS
            + " WHERE aggregate_identifier = ? AND sequence_number = ?";
    /** Probes the unique (aggregate, sequence) index once per key. */
    private static final String BATCH_SQL = "SELECT e.aggregate_identifier, e.sequence_number, e.global_index FROM "
            + EventStoreTables.EVENTS + " e JOIN unnest(?::varchar[], ?::bigint[]) AS k(board, seq) "
            + "ON e.aggregate_identifier = k.board AND e.sequence_number = k.seq";

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

    /** One stored event's key: its board and its sequence number there. */
    public record EventKey(UUID scoreboardId, long sequenceNumber) {}

    /**
     * The positions of many stored events in one round trip (the replicator's batch): each key maps to its own
     * event's position, however late that event committed.
     *
     * @throws IllegalStateException when one of them is not in the store
     */
    public Map<EventKey, Long> positionsOf(List<EventKey> keys) {
        Map<EventKey, Long> positions = new HashMap<>(keys.size() * 2);
        if (keys.isEmpty()) {
            return positions;
        }
        String[] boards = new String[keys.size()];
        Long[] sequences = new Long[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            boards[i] = keys.get(i).scoreboardId().toString();
            sequences[i] = keys.get(i).sequenceNumber();
        }
        jdbc.query(con -> {
            var statement = con.prepareStatement(BATCH_SQL);
            statement.setArray(1, con.createArrayOf("varchar", boards));
            statement.setArray(2, con.createArrayOf("bigint", sequences));
            return statement;
        }, rs -> {
            positions.put(new EventKey(UUID.fromString(rs.getString(1)), rs.getLong(2)), rs.getLong(3));
        });
        for (EventKey key : keys) {
            if (!positions.containsKey(key)) {
                throw new IllegalStateException("event " + key.scoreboardId() + "/" + key.sequenceNumber()
                        + " is not in the store");
            }
        }
        return positions;
    }

    /** Whether the store holds any event at all. */
    public boolean hasEvents() {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM "
                + EventStoreTables.EVENTS + ")", Boolean.class));
    }

    /** Whether the store holds an event at or below {@code position}. */
    public boolean anyAtOrBelow(long position) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM "
                + EventStoreTables.EVENTS + " WHERE global_index <= ?)", Boolean.class, position));
    }
}
