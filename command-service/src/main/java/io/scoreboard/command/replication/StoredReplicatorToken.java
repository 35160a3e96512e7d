package io.scoreboard.command.replication;

import io.scoreboard.startup.ReplicatorToken;
import java.util.Optional;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Reads the replicator's committed position without claiming it. It is stored only after Kafka
 * acknowledged everything it covers, so it is the durable truth after a restart, and on an instance
 * that is not the one replicating.
 */
@Component
class StoredReplicatorToken {

    private final JdbcTemplate jdbc;

    StoredReplicatorToken(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Coverage> read() {
        Optional<ReplicatorToken.Coverage> stored = jdbc.execute((ConnectionCallback<Optional<ReplicatorToken.Coverage>>)
                ReplicatorToken::read);
        return stored.map(Coverage::of);
    }
}
