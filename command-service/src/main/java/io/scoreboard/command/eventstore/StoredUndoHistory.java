package io.scoreboard.command.eventstore;

import io.scoreboard.command.scoreboard.UndoHistory;
import io.scoreboard.events.EventCatalogue;
import io.scoreboard.events.EventJson;
import io.scoreboard.events.RoundRecordedEvent;
import io.scoreboard.events.ScoreChangeUndoneEvent;
import io.scoreboard.events.ScoreChangedEvent;
import io.scoreboard.events.ScoreboardRewoundEvent;
import io.scoreboard.startup.EventStoreTables;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * {@link UndoHistory} read from the event store: the board's score changes, rounds and undos, newest first,
 * streamed through a cursor (the command's own transaction), so a deep undo reads as far back as it must and
 * holds one fetch of rows at a time (docs/adr/0026). Runs under the board's lock, like every command.
 */
@Component
public class StoredUndoHistory implements UndoHistory {

    /** Rows per round trip, and so the most held at once. */
    static final int FETCH_SIZE = 500;

    private static final String SQL = "SELECT sequence_number, payload_type, payload FROM "
            + EventStoreTables.EVENTS + " WHERE aggregate_identifier = ? AND sequence_number <= ? "
            + "AND payload_type IN (?, ?, ?, ?) ORDER BY sequence_number DESC";

    private final JdbcTemplate jdbc;

    public StoredUndoHistory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<UndoableChange> latestNotUndone(UUID scoreboardId, long upTo) {
        return jdbc.query(connection -> {
            var statement = connection.prepareStatement(SQL);
            // A cursor needs a transaction; outside one (a test, a tool) the driver reads all rows at once.
            statement.setFetchSize(FETCH_SIZE);
            statement.setString(1, scoreboardId.toString());
            statement.setLong(2, upTo);
            statement.setString(3, EventCatalogue.byClass(ScoreChangedEvent.class).orElseThrow().name());
            statement.setString(4, EventCatalogue.byClass(RoundRecordedEvent.class).orElseThrow().name());
            statement.setString(5, EventCatalogue.byClass(ScoreChangeUndoneEvent.class).orElseThrow().name());
            statement.setString(6, EventCatalogue.byClass(ScoreboardRewoundEvent.class).orElseThrow().name());
            return statement;
        }, rs -> {
            return UndoHistory.latestNotUndone(() -> new Rows(rs));
        });
    }

    /** The result set as stored events, read as the search asks for them. */
    private static final class Rows implements Iterator<StoredEvent> {
        private final ResultSet rs;
        private Boolean ahead;

        Rows(ResultSet rs) {
            this.rs = rs;
        }

        @Override
        public boolean hasNext() {
            if (ahead == null) {
                try {
                    ahead = rs.next();
                } catch (SQLException e) {
                    throw new IllegalStateException("cannot read the board's history for undo", e);
                }
            }
            return ahead;
        }

        @Override
        public StoredEvent next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            ahead = null;
            try {
                return new StoredEvent(rs.getLong(1), EventJson.readPayload(rs.getString(2), rs.getBytes(3)));
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read the board's history for undo", e);
            }
        }
    }
}
