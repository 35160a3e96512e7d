package io.scoreboard.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;

class ProductionTopicSafetyTest {

    private static TopicDescription topic(int... replicasPerPartition) {
        List<TopicPartitionInfo> partitions = IntStream.range(0, replicasPerPartition.length).mapToObj(p -> {
            List<Node> nodes = IntStream.range(0, replicasPerPartition[p]).mapToObj(i -> new Node(i, "b" + i, 9092))
                    .toList();
            return new TopicPartitionInfo(p, nodes.get(0), nodes, nodes);
        }).toList();
        return new TopicDescription("scoreboard-events", false, partitions);
    }

    private static Config minInsync(String value, ConfigEntry.ConfigSource source) {
        return new Config(List.of(new ConfigEntry("min.insync.replicas", value, source, false, false, List.of(),
                ConfigEntry.ConfigType.INT, null)));
    }

    @Test
    void threeReplicasAndTwoInSync_areSafe() {
        assertThat(ProductionTopicSafety.problems(topic(3, 3, 3), minInsync("2", ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG)))
                .isEmpty();
        assertThat(ProductionTopicSafety.problems(topic(5), minInsync("3", ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG)))
                .isEmpty();
    }

    @Test
    void oneBrokersDefaults_areRefused_namingTheInheritedSetting() {
        assertThat(ProductionTopicSafety.problems(topic(1, 1, 1), minInsync("1", ConfigEntry.ConfigSource.DEFAULT_CONFIG)))
                .containsExactly("partition 0 has 1 replica, production needs at least 3",
                        "its min.insync.replicas is 1 (the brokers' default: the topic does not set it), production "
                                + "needs at least 2");
    }

    @Test
    void thePartitionWithTheFewestReplicas_isNamed() {
        assertThat(ProductionTopicSafety.problems(topic(3, 2, 3), minInsync("2", ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG)))
                .containsExactly("partition 1 has 2 replicas, production needs at least 3");
    }

    @Test
    void aTopicThatSetsOneInSyncReplica_isRefused() {
        assertThat(ProductionTopicSafety.problems(topic(3), minInsync("1", ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG)))
                .containsExactly("its min.insync.replicas is 1, production needs at least 2");
    }

    @Test
    void aTopicWithoutAReportedMinInsync_isRefused() {
        assertThat(ProductionTopicSafety.problems(topic(3), new Config(List.of()))).singleElement().asString()
                .contains("does not report its min.insync.replicas");
    }

    @Test
    void creationSettings_areCheckedByTheirNames() {
        assertThat(ProductionTopicSafety.creationProblems(1, "scoreboard.kafka.replication-factor", 1,
                "scoreboard.kafka.min-insync-replicas")).containsExactly(
                "scoreboard.kafka.replication-factor is 1, production needs at least 3",
                "scoreboard.kafka.min-insync-replicas is 1, production needs at least 2");
        assertThat(ProductionTopicSafety.creationProblems(3, "rf", 2, "isr")).isEmpty();
    }

    @Test
    void theRefusal_namesTheSettingAndTheFix() {
        UnsafeTopicRefusedException refusal = ProductionTopicSafety.refusal("scoreboard-events", "kafka:9092",
                List.of("partition 0 has 1 replica, production needs at least 3"), ProductionTopicSafety.SERVICE_SETTING);
        assertThat(refusal).isInstanceOf(TopicRefusedException.class);
        assertThat(refusal.getMessage()).contains("Refusing Kafka topic 'scoreboard-events' at kafka:9092 in production")
                .contains("partition 0 has 1 replica").contains("Nothing was changed");
        assertThat(refusal.setting()).isEqualTo("scoreboard.production (SCOREBOARD_PRODUCTION)");
        assertThat(refusal.fix()).contains("min.insync.replicas=2").contains("--entity-name scoreboard-events")
                .contains("3 replicas").contains("unset scoreboard.production (SCOREBOARD_PRODUCTION)");
    }
}
