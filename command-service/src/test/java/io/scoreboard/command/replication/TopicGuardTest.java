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
    void lostTopic_refusedOnceTheReplicatorHadPublishedToIt() {
        assertThat(TopicGuard.lostHistory(false, 0, true)).hasValueSatisfying(problem ->
                assertThat(problem).startsWith("it does not exist"));
    }

    @Test
    void topicRecreatedEmpty_refusedOnceTheReplicatorHadPublishedToIt() {
        assertThat(TopicGuard.lostHistory(true, 0, true)).hasValueSatisfying(problem ->
                assertThat(problem).startsWith("it holds no records"));
    }

    @Test
    void missingTopic_isCreated_whenTheReplicatorNeverPublished() {
        // a new installation, or a store whose events never reached Kafka: replication starts from the beginning
        assertThat(TopicGuard.lostHistory(false, 0, false)).isEmpty();
        assertThat(TopicGuard.lostHistory(true, 0, false)).isEmpty();
    }

    @Test
    void topicWithRecords_passes() {
        assertThat(TopicGuard.lostHistory(true, 12, true)).isEmpty();
    }

    @Test
    void emptyEventStore_refused_whenTheTopicHoldsHistory() {
        assertThat(TopicGuard.lostEventStore(false, 40)).hasValueSatisfying(problem ->
                assertThat(problem).isEqualTo("it holds no events, but the Kafka topic holds 40 records"));
    }

    @Test
    void emptyEventStore_passes_withAnEmptyTopic_andAStoreWithEventsPassesAnyway() {
        assertThat(TopicGuard.lostEventStore(false, 0)).isEmpty(); // a new installation
        assertThat(TopicGuard.lostEventStore(true, 40)).isEmpty();
    }
}
