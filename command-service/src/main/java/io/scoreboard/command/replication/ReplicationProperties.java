package io.scoreboard.command.replication;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param durability when a write is answered (see {@link Durability})
 * @param ackTimeout how long a write in REPLICATED mode waits for Kafka before answering 503
 */
@Validated
@ConfigurationProperties("scoreboard.replication")
public record ReplicationProperties(
        @DefaultValue("REPLICATED") @NotNull Durability durability,
        @DefaultValue("5s") @NotNull Duration ackTimeout) {
}
