package io.scoreboard.operator;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.EventJson;
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

/** A test's own event topic on the test broker, written as the replicator writes (key = board id). */
public final class EventTopicFixture implements AutoCloseable {

    private final String name;
    private final KafkaProducer<String, byte[]> producer;

    public EventTopicFixture(String prefix, int partitions) {
        this.name = TestKafka.uniqueTopic(prefix);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)
                    .configs(Map.of("retention.ms", "-1", "retention.bytes", "-1")))).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topic " + name, e);
        }
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
    }

    public String name() {
        return name;
    }

    public void publish(List<EventEnvelope> events) {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (EventEnvelope e : events) {
            acks.add(producer.send(new ProducerRecord<>(name, e.scoreboardId().toString(), EventJson.writeEnvelope(e))));
        }
        for (Future<RecordMetadata> ack : acks) {
            try {
                ack.get(120, TimeUnit.SECONDS); // generous: the first send waits for a broker that may be busy starting
            } catch (Exception ex) {
                throw new IllegalStateException("cannot publish to " + name, ex);
            }
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
