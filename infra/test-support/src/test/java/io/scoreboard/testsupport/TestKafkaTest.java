package io.scoreboard.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.scoreboard.infra.localstack.EmbeddedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class TestKafkaTest {

    @Test
    void producedRecord_isConsumed() throws Exception {
        String topic = createTopic("test-support");

        produce(topic, "board-1", "hello");

        assertThat(consumeAll(topic, 1)).containsExactly("board-1=hello");
    }

    @Test
    void embeddedBroker_keepsRecords_acrossStopAndRestart() throws Exception {
        assumeThat(TestKafka.embedded()).as("only the embedded broker can be stopped by a test").isPresent();
        EmbeddedKafka broker = TestKafka.embedded().orElseThrow();
        String topic = createTopic("restart");
        produce(topic, "board-1", "before");

        broker.stop();
        assertThat(broker.isRunning()).isFalse();
        broker.restart();

        produce(topic, "board-1", "after");
        assertThat(consumeAll(topic, 2)).containsExactly("board-1=before", "board-1=after");
    }

    @Test
    void uniqueTopic_isAValidTopicName_differentEachTime() {
        String first = TestKafka.uniqueTopic("scores");
        assertThat(first).matches("scores-[a-f0-9]{12}");
        assertThat(TestKafka.uniqueTopic("scores")).isNotEqualTo(first);
    }

    private static String createTopic(String prefix) throws Exception {
        String topic = TestKafka.uniqueTopic(prefix);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", TestKafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        return topic;
    }

    private static void produce(String topic, String key, String value) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    private static List<String> consumeAll(String topic, int expected) {
        List<String> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(Set.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (seen.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    seen.add(record.key() + "=" + record.value());
                }
            }
        }
        return seen;
    }
}
