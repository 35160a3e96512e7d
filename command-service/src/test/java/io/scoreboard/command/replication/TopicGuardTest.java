package io.scoreboard.command.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scoreboard.startup.StartupCheckFailedException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
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

    @Test
    void aJustCreatedTopic_isReadBackOnceTheBrokerKnowsIt() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        String found = TopicGuard.untilVisible("t", () -> reads.incrementAndGet() < 3 ? Optional.empty() : Optional.of("it"),
                Duration.ofSeconds(5), Duration.ofMillis(1));
        assertThat(found).isEqualTo("it");
        assertThat(reads).hasValue(3);
    }

    @Test
    void unknownTopicOrPartition_whileMetadataPropagates_isRetried() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        String found = TopicGuard.untilVisible("t", () -> {
            if (reads.incrementAndGet() < 4) {
                throw new ExecutionException(new UnknownTopicOrPartitionException("not yet"));
            }
            return Optional.of("config");
        }, Duration.ofSeconds(5), Duration.ofMillis(1));
        assertThat(found).isEqualTo("config");
        assertThat(reads).hasValue(4);
    }

    @Test
    void aTopicThatNeverBecomesVisible_isRefusedAfterTheBound() {
        long started = System.nanoTime();
        assertThatThrownBy(() -> TopicGuard.untilVisible("scoreboard-events", Optional::empty, Duration.ofMillis(300),
                Duration.ofMillis(10)))
                .isInstanceOf(StartupCheckFailedException.class)
                .hasMessageContaining("'scoreboard-events' was created but the brokers still do not know it after 300 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(300), Duration.ofSeconds(5));
    }

    @Test
    void otherFailures_areNotRetried() {
        AtomicInteger reads = new AtomicInteger();
        assertThatThrownBy(() -> TopicGuard.untilVisible("t", () -> {
            reads.incrementAndGet();
            throw new ExecutionException(new TopicAuthorizationException("no"));
        }, Duration.ofSeconds(5), Duration.ofMillis(1))).isInstanceOf(ExecutionException.class);
        assertThat(reads).hasValue(1);
    }
}
