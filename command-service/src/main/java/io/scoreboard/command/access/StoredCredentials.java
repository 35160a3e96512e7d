package io.scoreboard.command.access;

import com.zaxxer.hikari.HikariDataSource;
import io.scoreboard.command.eventstore.SidePool;
import io.scoreboard.startup.EventStoreTables;
import java.time.Duration;
import io.scoreboard.command.scoreboard.BoardCredentials;
import io.scoreboard.events.EventJson;
import io.scoreboard.events.ScoreboardCreatedEvent;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A board's credentials as stored: the token hashes in its first event ({@code ScoreboardCreated},
 * sequence number 0), read with one probe of the unique (aggregate, sequence) index through a small
 * pool of its own. The write pool may be busy with writes waiting for board locks; a lookup must not
 * wait behind them, or a flood of refused writes would again cost everyone a connection.
 */
final class StoredCredentials implements AutoCloseable {

    private static final String SQL = "SELECT payload_type, payload FROM " + EventStoreTables.EVENTS
            + " WHERE aggregate_identifier = ? AND sequence_number = 0";
    private static final String CREATED = "ScoreboardCreated";

    private final HikariDataSource pool;
    private final JdbcTemplate jdbc;

    StoredCredentials(String url, String username, String password, CredentialsProperties properties) {
        this.pool = SidePool.open("board-credentials", url, username, password, properties.poolSize(),
                properties.connectionTimeout(), Duration.ofSeconds(10), true);
        this.jdbc = new JdbcTemplate(pool);
    }

    /** The board's credentials, or empty when no board has this id. */
    Optional<BoardCredentials> read(UUID scoreboardId) {
        List<BoardCredentials> rows = jdbc.query(SQL, (rs, i) -> {
            String type = rs.getString(1);
            if (!CREATED.equals(type)) {
                throw new IllegalStateException("the first event of board " + scoreboardId + " is a " + type
                        + ", not a " + CREATED);
            }
            ScoreboardCreatedEvent created = (ScoreboardCreatedEvent) EventJson.readPayload(type, rs.getBytes(2));
            return new BoardCredentials(created.adminTokenHash(), created.scorekeeperTokenHash());
        }, scoreboardId.toString());
        return rows.stream().findFirst();
    }

    @Override
    public void close() {
        pool.close();
    }
}
