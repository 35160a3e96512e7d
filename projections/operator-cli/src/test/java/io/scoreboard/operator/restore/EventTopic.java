package io.scoreboard.operator.restore;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.EventJson;
import io.scoreboard.operator.cli.Target;
import io.scoreboard.startup.TopicEnvironmentCheck;
import io.scoreboard.testsupport.TestDatabases;
import io.scoreboard.testsupport.TestKafka;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A fresh event topic on the test broker, recorded as the test environment's (as the first service
 * records a new topic, ADR 0017), filled the way the replicator fills it (key = board id).
 */
final class EventTopic {

    final String name;

    private EventTopic(String name) {
        this.name = name;
    }

    static EventTopic create(int partitions) throws Exception {
        EventTopic topic = new EventTopic(TestKafka.uniqueTopic("restore"));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic.name, partitions, (short) 1)
                    .configs(Map.of("retention.ms", "-1", "cleanup.policy", "delete")))).all().get(30, TimeUnit.SECONDS);
        }
        try (TopicEnvironmentCheck identity = TopicEnvironmentCheck.open(TestKafka.bootstrapServers(), topic.name,
                Target.TOPIC_SETTINGS)) {
            identity.claim(TestDatabases.ENVIRONMENT);
        }
        return topic;
    }

    void send(List<EventEnvelope> events) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024),
                new StringSerializer(), new ByteArraySerializer())) {
            for (EventEnvelope e : events) {
                producer.send(new ProducerRecord<>(name, e.scoreboardId().toString(), EventJson.writeEnvelope(e)));
            }
            producer.flush();
        }
    }
}
