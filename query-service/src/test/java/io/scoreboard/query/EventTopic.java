package io.scoreboard.query;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.EventJson;
import io.scoreboard.startup.TopicEnvironment;
import io.scoreboard.startup.TopicEnvironmentCheck;
import io.scoreboard.testsupport.TestDatabases;
import io.scoreboard.testsupport.TestKafka;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A unique event topic on the test broker, written exactly as the command side's replicator
 * writes: key = scoreboard id, value = the JSON envelope, idempotent producer with acks=all.
 */
public final class EventTopic implements AutoCloseable {

    private final String name;
    private final KafkaProducer<String, byte[]> producer;

    public EventTopic(String prefix) {
        this.name = TestKafka.uniqueTopic(prefix);
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
    }

    public String name() {
        return name;
    }

    /** Creates the topic as the command service does: several partitions, infinite retention, recorded as 'test''s. */
    public EventTopic create() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(name, 3, (short) 1)
                            .configs(Map.of("retention.ms", "-1", "retention.bytes", "-1", "cleanup.policy", "delete"))))
                    .all().get(30, TimeUnit.SECONDS);
            // Recorded as the test environment's, as the first service to use a new topic records it (ADR 0017).
            try (TopicEnvironmentCheck identity = TopicEnvironmentCheck.open(TestKafka.bootstrapServers(), name,
                    TopicEnvironment.Settings.SERVICE)) {
                identity.claim(TestDatabases.ENVIRONMENT);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topic " + name, e);
        }
        return this;
    }

    /** Deletes the topic, waits until Kafka no longer lists it, and creates it again (a new incarnation, new id). */
    public EventTopic recreate() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            admin.deleteTopics(List.of(name)).all().get(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(name)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topic " + name + " is still listed 30 s after its deletion");
                }
                Thread.sleep(100);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot delete topic " + name, e);
        }
        return create();
    }

    /** Publishes in order and waits for every acknowledgement, like a command in {@code replicated} mode. */
    public void publish(EventEnvelope... events) {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (EventEnvelope event : events) {
            sent.add(producer.send(new ProducerRecord<>(name, event.scoreboardId().toString(),
                    EventJson.writeEnvelope(event))));
        }
        for (Future<RecordMetadata> ack : sent) {
            try {
                ack.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("cannot publish to " + name, e);
            }
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
