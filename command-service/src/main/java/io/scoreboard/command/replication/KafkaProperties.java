package io.scoreboard.command.replication;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where events are replicated. On a real cluster set replication-factor 3 and
 * min-insync-replicas 2; the local stack has a single broker.
 */
@Validated
@ConfigurationProperties("scoreboard.kafka")
public record KafkaProperties(
        @NotBlank(message = "set scoreboard.kafka.bootstrap-servers to the Kafka brokers, e.g. 127.0.0.1:9092")
        String bootstrapServers,
        @DefaultValue("scoreboard-events") @NotBlank String topic,
        @DefaultValue("3") @Min(1) int partitions,
        @DefaultValue("1") @Min(1) short replicationFactor,
        @DefaultValue("1") @Min(1) int minInsyncReplicas) {
}
