package io.scoreboard.command.replication;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param durability   when a write is answered (see {@link Durability})
 * @param ackTimeout   how long a write in REPLICATED mode waits for Kafka before answering 503
 * @param localBacklog how far LOCAL-mode writes may run ahead of a working replicator ({@link LocalBacklog})
 */
@Validated
@ConfigurationProperties("scoreboard.replication")
public record ReplicationProperties(
        @DefaultValue("REPLICATED") @NotNull Durability durability,
        @DefaultValue("5s") @NotNull Duration ackTimeout,
        @DefaultValue @NotNull @Valid LocalBacklogProperties localBacklog) {

    /**
     * @param maxAge   a write committed longer ago than this and still not in Kafka makes the next batch wait
     *                 (0 turns the limit off)
     * @param maxPause the longest one batch waits for the replicator
     * @param stallAfter a replicator that acknowledged nothing for this long is taken for stalled (Kafka down):
     *                 writes then run freely, which is what LOCAL mode is for
     */
    public record LocalBacklogProperties(
            @DefaultValue("20ms") @NotNull Duration maxAge,
            @DefaultValue("50ms") @NotNull Duration maxPause,
            @DefaultValue("1s") @NotNull Duration stallAfter) {

        public static final LocalBacklogProperties DEFAULTS = new LocalBacklogProperties(
                Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofSeconds(1));
    }
}
