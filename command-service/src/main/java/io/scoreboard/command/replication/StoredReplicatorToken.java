package io.scoreboard.command.replication;

import java.util.List;
import java.util.Optional;
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
        List<Coverage> stored = jdbc.query(
                "SELECT token FROM token_entry WHERE processor_name = ? AND token IS NOT NULL",
                (rs, i) -> Coverage.fromToken(rs.getBytes(1)), ReplicatorClaim.PROCESSOR);
        return stored.stream().findFirst();
    }
}
