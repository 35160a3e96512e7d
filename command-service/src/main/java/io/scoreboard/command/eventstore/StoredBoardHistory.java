package io.scoreboard.command.eventstore;

import io.scoreboard.command.scoreboard.BoardHistory;
import io.scoreboard.events.EventJson;
import io.scoreboard.startup.EventStoreTables;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Consumer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * {@link BoardHistory} read from the event store: the board's events oldest first through a cursor (the command's
 * own transaction), one fetch of rows held at a time, so a rewind of a long history reads it all but never holds
 * it all (ADR 0044).
 */
@Component
public class StoredBoardHistory implements BoardHistory {

    static final int FETCH_SIZE = 500;

    private static final String SQL = "SELECT sequence_number, global_index, time_stamp, payload_type, payload FROM "
            + EventStoreTables.EVENTS + " WHERE aggregate_identifier = ? AND sequence_number <= ? "
            + "ORDER BY sequence_number";

    private final JdbcTemplate jdbc;

    public StoredBoardHistory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void replay(UUID scoreboardId, long upTo, Consumer<TimedEvent> sink) {
        jdbc.query(connection -> {
            var statement = connection.prepareStatement(SQL);
            statement.setFetchSize(FETCH_SIZE);
            statement.setString(1, scoreboardId.toString());
            statement.setLong(2, upTo);
            return statement;
        }, rs -> {
            sink.accept(new TimedEvent(rs.getLong(1), rs.getLong(2), Instant.parse(rs.getString(3)),
                    EventJson.readPayload(rs.getString(4), rs.getBytes(5))));
        });
    }
}
