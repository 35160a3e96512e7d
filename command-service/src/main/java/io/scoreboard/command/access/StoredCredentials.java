package io.scoreboard.command.access;

import com.zaxxer.hikari.HikariDataSource;
import io.scoreboard.command.eventstore.SidePool;
import io.scoreboard.startup.EventStoreTables;
import java.time.Duration;
import io.scoreboard.command.scoreboard.BoardCredentials;
import io.scoreboard.events.EventJson;
import io.scoreboard.events.EventCatalogue;
import io.scoreboard.events.ScoreboardCreatedEvent;
import io.scoreboard.events.ScoreboardEvent;
import io.scoreboard.events.TokenIssuedEvent;
import io.scoreboard.events.TokenRevokedEvent;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A board's credentials as stored: the token hashes of its first event ({@code ScoreboardCreated}, sequence
 * number 0) and of its token events ({@code TokenIssued}, {@code TokenRevoked}), read with two probes of the
 * event table's indexes (the unique (aggregate, sequence) one, and a partial one holding only token events,
 * V5__board_token_events.sql) through a small pool of its own. The write pool may be busy with writes waiting
 * for board locks; a lookup must not wait behind them, or a flood of refused writes would again cost everyone
 * a connection.
 */
final class StoredCredentials implements AutoCloseable {

    private static final String CREATED = "ScoreboardCreated";
    private static final String ISSUED = EventCatalogue.byClass(TokenIssuedEvent.class).orElseThrow().name();
    private static final String REVOKED = EventCatalogue.byClass(TokenRevokedEvent.class).orElseThrow().name();
    private static final String SQL = "SELECT sequence_number, payload_type, payload, time_stamp FROM "
            + EventStoreTables.EVENTS + " WHERE aggregate_identifier = ? AND sequence_number = 0"
            + " UNION ALL SELECT sequence_number, payload_type, payload, time_stamp FROM " + EventStoreTables.EVENTS
            + " WHERE aggregate_identifier = ? AND payload_type IN ('" + ISSUED + "', '" + REVOKED + "')"
            + " ORDER BY 1";

    private final HikariDataSource pool;
    private final JdbcTemplate jdbc;

    StoredCredentials(String url, String username, String password, CredentialsProperties properties) {
        this.pool = SidePool.open("board-credentials", url, username, password, properties.poolSize(),
                properties.connectionTimeout(), Duration.ofSeconds(10), true);
        this.jdbc = new JdbcTemplate(pool);
    }

    /** The board's credentials, or empty when no board has this id. */
    Optional<BoardCredentials> read(UUID scoreboardId) {
        String board = scoreboardId.toString();
        BoardCredentials[] credentials = {null};
        jdbc.query(SQL, rs -> {
            String type = rs.getString(2);
            Instant at = Instant.parse(rs.getString(4));
            ScoreboardEvent event = EventJson.readPayload(type, rs.getBytes(3));
            if (credentials[0] == null) {
                if (!(event instanceof ScoreboardCreatedEvent created)) {
                    throw new IllegalStateException("the first event of board " + scoreboardId + " is a " + type
                            + ", not a " + CREATED);
                }
                credentials[0] = BoardCredentials.created(created, at);
            } else if (event instanceof TokenIssuedEvent issued) {
                credentials[0] = credentials[0].issued(issued, at);
            } else if (event instanceof TokenRevokedEvent revoked) {
                credentials[0] = credentials[0].revoked(revoked.revokedTokenId(), at);
            }
        }, board, board);
        return Optional.ofNullable(credentials[0]);
    }

    @Override
    public void close() {
        pool.close();
    }
}
