package io.scoreboard.command.replication;

import io.scoreboard.startup.EventTopicSettings;
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
        @DefaultValue(EventTopicSettings.DEFAULT_TOPIC) @NotBlank String topic,
        @DefaultValue(EventTopicSettings.DEFAULT_PARTITIONS) @Min(1) int partitions,
        @DefaultValue(EventTopicSettings.DEFAULT_REPLICATION_FACTOR) @Min(1) short replicationFactor,
        @DefaultValue(EventTopicSettings.DEFAULT_MIN_INSYNC_REPLICAS) @Min(1) int minInsyncReplicas) {
}
