package io.scoreboard.command.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;

class TopicGuardTest {

    private static Config config(String retentionMs, String retentionBytes, String cleanupPolicy) {
        return new Config(List.of(new ConfigEntry("retention.ms", retentionMs),
                new ConfigEntry("retention.bytes", retentionBytes),
                new ConfigEntry("cleanup.policy", cleanupPolicy)));
    }

    @Test
    void acceptsInfiniteRetentionWithoutCompaction() {
        assertThat(TopicGuard.problems(config("-1", "-1", "delete"))).isEmpty();
    }

    @Test
    void refusesFiniteRetention() {
        assertThat(TopicGuard.problems(config("604800000", "-1", "delete")))
                .containsExactly("retention.ms is 604800000 (finite), must be -1");
    }

    @Test
    void refusesSizeBoundRetention() {
        assertThat(TopicGuard.problems(config("-1", "1073741824", "delete")))
                .containsExactly("retention.bytes is 1073741824 (finite), must be -1");
    }

    private static TopicDescription topic(int replicas) {
        List<Node> nodes = java.util.stream.IntStream.range(0, replicas).mapToObj(i -> new Node(i, "h" + i, 9092)).toList();
        return new TopicDescription("scoreboard-events", false,
                List.of(new TopicPartitionInfo(0, nodes.get(0), nodes, nodes)));
    }

    private static KafkaProperties cluster() {
        return new KafkaProperties("k:9092", "scoreboard-events", 3, (short) 3, 2);
    }

    @Test
    void onAClusterAcceptsEnoughReplicasAndInSyncReplicas() {
        Config config = new Config(List.of(new ConfigEntry("min.insync.replicas", "2")));
        assertThat(TopicGuard.clusterProblems(topic(3), config, cluster())).isEmpty();
    }

    @Test
    void onAClusterRefusesTooFewReplicas() {
        Config config = new Config(List.of(new ConfigEntry("min.insync.replicas", "2")));
        assertThat(TopicGuard.clusterProblems(topic(1), config, cluster()))
                .containsExactly("partition 0 has 1 replicas, scoreboard.kafka.replication-factor requires 3");
    }

    @Test
    void onAClusterRefusesTooFewInSyncReplicas() {
        Config config = new Config(List.of(new ConfigEntry("min.insync.replicas", "1")));
        assertThat(TopicGuard.clusterProblems(topic(3), config, cluster()))
                .containsExactly("min.insync.replicas is 1, scoreboard.kafka.min-insync-replicas requires 2");
    }

    @Test
    void refusesCompaction() {
        assertThat(TopicGuard.problems(config("-1", "-1", "compact,delete")))
                .singleElement().asString().startsWith("cleanup.policy is 'compact,delete'");
    }
}
