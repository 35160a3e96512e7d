package io.scoreboard.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NotEnoughReplicasAfterAppendException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Three real brokers, replication factor 3, min.insync.replicas 2, producers with acks=all. */
class TestKafkaClusterTest {

    private static final Duration LEADER_ELECTION = Duration.ofSeconds(60);
    private static TestKafkaCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = TestKafkaCluster.start(3);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void everyBrokerRuns() {
        for (int broker = 0; broker < cluster.size(); broker++) {
            if (!cluster.isRunning(broker)) {
                cluster.restart(broker);
            }
        }
    }

    @Test
    void killingTheLeader_electsAnother_andAcksAllWritesGoOn_losingNothingAcknowledged() throws Exception {
        String topic = TestKafka.uniqueTopic("failover");
        cluster.createTopic(topic, 1);
        List<String> acknowledged = new ArrayList<>();
        try (KafkaProducer<String, String> producer = producer(Duration.ofSeconds(60))) {
            acknowledged.addAll(write(producer, topic, "before", 20));
            int leader = cluster.leaderOf(topic, 0);
            assertThat(leader).isBetween(0, 2);

            cluster.kill(leader);
            assertThat(cluster.isRunning(leader)).isFalse();

            // Written while the controller has not yet noticed: the producer retries until a new leader answers.
            acknowledged.addAll(write(producer, topic, "after", 20));
            int newLeader = awaitLeader(topic);
            assertThat(newLeader).isNotEqualTo(leader).isNotNegative();
            assertThat(cluster.isRunning(newLeader)).isTrue();
        }

        assertThat(readAll(topic)).containsExactlyElementsOf(acknowledged);
    }

    @Test
    void withTwoOfThreeDown_acksAllWritesAreNotAcknowledged_andAfterTheRestartsNothingAcknowledgedIsLost()
            throws Exception {
        String topic = TestKafka.uniqueTopic("quorum");
        cluster.createTopic(topic, 1);
        List<String> acknowledged = new ArrayList<>();
        try (KafkaProducer<String, String> producer = producer(Duration.ofSeconds(60))) {
            acknowledged.addAll(write(producer, topic, "three-up", 20));
        }
        int leader = cluster.leaderOf(topic, 0);
        int follower = (leader + 1) % 3;
        cluster.kill(leader);
        cluster.kill(follower);

        Throwable refused;
        try (KafkaProducer<String, String> producer = producer(Duration.ofSeconds(10))) {
            Future<RecordMetadata> send = producer.send(new ProducerRecord<>(topic, "board", "one-up"));
            refused = catchThrowable(() -> send.get(30, TimeUnit.SECONDS));
            producer.close(Duration.ZERO); // nothing of it may be retried later
        }
        // Not acknowledged: either refused by the producer, or still unanswered after 30 s (with the
        // controller quorum gone too, the producer's own expiry can wait on metadata that never comes).
        assertThat(refused).as("an acks=all write with one broker of three")
                .isInstanceOfAny(ExecutionException.class, java.util.concurrent.TimeoutException.class);
        if (refused instanceof ExecutionException) {
            assertThat(refused.getCause()).isInstanceOfAny(NotEnoughReplicasException.class,
                    NotEnoughReplicasAfterAppendException.class, TimeoutException.class);
        }

        cluster.restart(leader);
        cluster.restart(follower);
        awaitLeader(topic);
        try (KafkaProducer<String, String> producer = producer(Duration.ofSeconds(60))) {
            acknowledged.addAll(write(producer, topic, "all-back", 5));
        }

        List<String> read = readAll(topic);
        // The refused write may or may not have reached the log; every acknowledged one did, once and in order.
        assertThat(read.stream().filter(v -> !v.equals("one-up")).toList()).containsExactlyElementsOf(acknowledged);
    }

    @Test
    void leaderOf_namesARunningBroker_andTheTopicHasAReplicaOnEach() {
        String topic = TestKafka.uniqueTopic("layout");
        cluster.createTopic(topic, 3);

        for (int partition = 0; partition < 3; partition++) {
            int leader = cluster.leaderOf(topic, partition);
            assertThat(leader).isBetween(0, 2);
            assertThat(cluster.isRunning(leader)).isTrue();
        }
        assertThat(cluster.size()).isEqualTo(3);
        assertThat(cluster.bootstrapServers().split(",")).hasSize(3);
    }

    private static int awaitLeader(String topic) throws InterruptedException {
        long deadline = System.nanoTime() + LEADER_ELECTION.toNanos();
        while (System.nanoTime() < deadline) {
            int leader = cluster.leaderOf(topic, 0);
            if (leader >= 0 && cluster.isRunning(leader)) {
                return leader;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no running leader for " + topic + " within " + LEADER_ELECTION);
    }

    /** Writes {@code count} records one at a time and returns those acknowledged (all of them, or it throws). */
    private static List<String> write(KafkaProducer<String, String> producer, String topic, String prefix, int count)
            throws Exception {
        List<String> acknowledged = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String value = prefix + "-" + i;
            producer.send(new ProducerRecord<>(topic, "board", value)).get(90, TimeUnit.SECONDS);
            acknowledged.add(value);
        }
        return acknowledged;
    }

    private static KafkaProducer<String, String> producer(Duration deliveryTimeout) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) deliveryTimeout.toMillis(),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) deliveryTimeout.toMillis()),
                new StringSerializer(), new StringSerializer());
    }

    /** Everything in partition 0, read without a consumer group (no coordinator needed). */
    private static List<String> readAll(String topic) {
        TopicPartition partition = new TopicPartition(topic, 0);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), Duration.ofSeconds(30)).get(partition);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (consumer.position(partition, Duration.ofSeconds(30)) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }
}
