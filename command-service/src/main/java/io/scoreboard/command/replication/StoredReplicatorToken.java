package io.scoreboard.command.replication;

import java.util.List;
import java.util.Optional;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Reads the replicator's committed token without claiming it (Axon's token store would claim). The
 * token is stored only after Kafka acknowledged everything it covers, so it is the durable truth
 * after a restart, and on an instance that is not the one replicating.
 */
@Component
class StoredReplicatorToken {

    private final JdbcTemplate jdbc;
    private final Serializer serializer;

    StoredReplicatorToken(JdbcTemplate jdbc, @Qualifier("serializer") Serializer serializer) {
        this.jdbc = jdbc;
        this.serializer = serializer;
    }

    Optional<TrackingToken> read() {
        List<TrackingToken> tokens = jdbc.query(
                "SELECT token, token_type FROM token_entry WHERE processor_name = ? AND token IS NOT NULL",
                (rs, i) -> (TrackingToken) serializer.deserialize(new SimpleSerializedObject<>(
                        rs.getBytes(1), byte[].class, rs.getString(2), null)),
                KafkaReplicator.PROCESSING_GROUP);
        return tokens.stream().findFirst();
    }
}
