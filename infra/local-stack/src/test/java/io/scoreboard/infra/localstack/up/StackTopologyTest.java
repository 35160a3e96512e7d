package io.scoreboard.infra.localstack.up;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scoreboard.infra.localstack.KafkaNodePorts;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StackTopologyTest {

    private static final Path ROOT = Path.of("/checkout");

    @Test
    void cluster_byDefault_isThreeNodesAndTwoInstancesOfEachServiceOnTheDocumentedPorts() {
        StackTopology cluster = StackTopology.cluster(settings(Map.of()));

        assertThat(cluster.kafkaNodes()).isEqualTo(KafkaNodePorts.consecutive(3, 19092));
        assertThat(cluster.commandPorts()).containsExactly(8081, 8083);
        assertThat(cluster.queryPorts()).containsExactly(8082, 8084);
        assertThat(cluster.replicationFactor()).isEqualTo(3);
        assertThat(cluster.minInsyncReplicas()).isEqualTo(2);
        assertThat(cluster.instanceName("command-service", 1)).isEqualTo("command-service-2");
        assertThat(cluster.kafkaName(0)).isEqualTo("kafka-1");
    }

    @Test
    void cluster_keepsItsDataApartFromTheSingleNodeStack() {
        StackSettings settings = settings(Map.of());
        StackTopology single = StackTopology.single(settings);
        StackTopology cluster = StackTopology.cluster(settings);

        assertThat(single.eventsDatabase()).isEqualTo("scoreboard_events");
        assertThat(single.readDatabase()).isEqualTo("scoreboard_read");
        assertThat(cluster.eventsDatabase()).isNotEqualTo(single.eventsDatabase());
        assertThat(cluster.readDatabase()).isNotEqualTo(single.readDatabase());
        assertThat(single.kafkaDir()).isEqualTo(ROOT.resolve(".scoreboard/kafka"));
        assertThat(cluster.kafkaDir()).isEqualTo(ROOT.resolve(".scoreboard/kafka-cluster"));
    }

    @Test
    void single_isOneOfEach_withTheNamesItAlwaysHad() {
        StackTopology single = StackTopology.single(settings(Map.of("SCOREBOARD_KAFKA_PORT", "29092")));

        assertThat(single.kafkaNodes()).containsExactly(new KafkaNodePorts(29092, 29093));
        assertThat(single.commandPorts()).containsExactly(8081);
        assertThat(single.queryPorts()).containsExactly(8082);
        assertThat(single.replicationFactor()).isEqualTo(1);
        assertThat(single.minInsyncReplicas()).isEqualTo(1);
        assertThat(single.instanceName("query-service", 0)).isEqualTo("query-service");
        assertThat(single.kafkaName(0)).isEqualTo("Kafka");
    }

    @Test
    void cluster_withAnExternalKafka_isRefused_namingTheSettingAndTheFix() {
        assertThatThrownBy(() -> StackTopology.cluster(settings(Map.of("SCOREBOARD_KAFKA", "kafka:9092"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SCOREBOARD_KAFKA=kafka:9092")
                .hasMessageContaining("Fix: unset SCOREBOARD_KAFKA");
    }

    @Test
    void cluster_whosePortsOverlap_isRefused_namingBothUses() {
        // 8080 + 2 = 8082: the second command service would take the query service's port.
        assertThatThrownBy(() -> StackTopology.cluster(settings(Map.of("SCOREBOARD_COMMAND_PORT", "8080",
                "SCOREBOARD_QUERY_PORT", "8082"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("port 8082 twice")
                .hasMessageContaining("SCOREBOARD_COMMAND_PORT+2 (command service 2)")
                .hasMessageContaining("SCOREBOARD_QUERY_PORT (query service 1)");
        assertThatThrownBy(() -> StackTopology.cluster(settings(Map.of("SCOREBOARD_KAFKA_PORT", "8079"))))
                .hasMessageContaining("port 8081 twice");
    }

    @Test
    void cluster_pastTheLastPort_isRefused() {
        assertThatThrownBy(() -> StackTopology.cluster(settings(Map.of("SCOREBOARD_KAFKA_PORT", "65533"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("past 65535");
    }

    private static StackSettings settings(Map<String, String> env) {
        return StackSettings.fromEnvironment(ROOT, new HashMap<>(env));
    }
}
