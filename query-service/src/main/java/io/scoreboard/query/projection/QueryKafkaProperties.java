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
 * @param sessionTimeout how long the group waits for a silent instance (killed, cut off) before it gives the
 *                       instance's partitions to the others: until then nobody applies them. Kafka's default (45 s)
 *                       tolerates long pauses; lower means faster takeover and more rebalances on a slow host.
 *                       The brokers refuse values outside group.min/max.session.timeout.ms (6 s to 30 min)
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
        Duration pollTimeout,
        @DefaultValue("45s") @NotNull
        @DurationMin(seconds = 6, message = "must be at least 6s, the brokers' default group.min.session.timeout.ms "
                + "(a lower one is refused when the instance joins the group), e.g. 10s")
        Duration sessionTimeout) {

    /** The consumer's heartbeats: a third of the session timeout (Kafka's advice), at most Kafka's default 3 s. */
    public Duration heartbeatInterval() {
        Duration third = sessionTimeout.dividedBy(3);
        return third.compareTo(Duration.ofSeconds(3)) < 0 ? third : Duration.ofSeconds(3);
    }
}
