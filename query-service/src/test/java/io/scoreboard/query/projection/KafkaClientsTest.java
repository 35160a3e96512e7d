package io.scoreboard.query.projection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

/** The projection's consumer takes its group timing from scoreboard.kafka.session-timeout. */
class KafkaClientsTest {

    private static QueryKafkaProperties withSessionTimeout(Duration sessionTimeout) {
        return new QueryKafkaProperties("127.0.0.1:9092", "scoreboard-events", "scoreboard-query", 500,
                Duration.ofMillis(500), sessionTimeout);
    }

    @Test
    void byDefault_kafkasOwnTiming() {
        Map<String, Object> config = KafkaClients.consumerConfig(withSessionTimeout(Duration.ofSeconds(45)));
        assertThat(config).containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 45_000)
                .containsEntry(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
    }

    @Test
    void aShortSessionTimeout_heartbeatsThreeTimesWithinIt() {
        // A killed instance's partitions go to the others after 6 s instead of 45 (the cluster drill runs so).
        Map<String, Object> config = KafkaClients.consumerConfig(withSessionTimeout(Duration.ofSeconds(6)));
        assertThat(config).containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6_000)
                .containsEntry(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 2_000);
    }
}
