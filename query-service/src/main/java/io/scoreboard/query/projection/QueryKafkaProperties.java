package io.scoreboard.query.projection;

import io.scoreboard.startup.EventTopicSettings;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the events come from. The topic is created by the command service (with infinite
 * retention); this service only reads it and never creates it.
 *
 * @param consumerGroup  shared by every query-service instance, so they split the partitions
 * @param maxPollRecords events per poll, applied in one database transaction
 * @param pollTimeout    how long one poll waits for events before the loop turns again
 */
@Validated
@ConfigurationProperties("scoreboard.kafka")
public record QueryKafkaProperties(
        @NotBlank(message = "is required: set scoreboard.kafka.bootstrap-servers to the Kafka brokers, "
                + "e.g. 127.0.0.1:9092 (./scoreboard up prints it and records it in .scoreboard/stack.json)")
        String bootstrapServers,
        @DefaultValue(EventTopicSettings.DEFAULT_TOPIC)
        @NotBlank(message = "must name the event topic the command service publishes to (default "
                + EventTopicSettings.DEFAULT_TOPIC + ")")
        String topic,
        @DefaultValue("scoreboard-query")
        @NotBlank(message = "must name the consumer group shared by all query-service instances (default scoreboard-query)")
        String consumerGroup,
        @DefaultValue("500")
        @Min(value = 1, message = "must be between 1 and 10000 (events applied per transaction)")
        @Max(value = 10000, message = "must be between 1 and 10000 (events applied per transaction)")
        int maxPollRecords,
        @DefaultValue("500ms") @NotNull
        @DurationMin(millis = 1, message = "must be positive, e.g. 500ms")
        Duration pollTimeout) {
}
