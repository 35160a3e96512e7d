package io.scoreboard.command.replication;

import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Kafka clients of the replicator. Every option that matters for durability or order is set
 * here explicitly rather than left to a client default that may change between versions.
 */
@Configuration(proxyBeanMethods = false)
public class KafkaClientsConfiguration {

    @Bean(destroyMethod = "close")
    public Producer<String, byte[]> eventProducer(KafkaProperties kafka, ReplicatorSettings settings) {
        return new KafkaProducer<>(Map.ofEntries(
                Map.entry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                Map.entry(ProducerConfig.CLIENT_ID_CONFIG, "scoreboard-replicator"),
                // Durability: every in-sync replica has the record before it counts as sent.
                Map.entry(ProducerConfig.ACKS_CONFIG, "all"),
                // Order and no duplicates from the producer's own retries.
                Map.entry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                Map.entry(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5),
                Map.entry(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE),
                // A batch that cannot be delivered in 2 minutes fails; the replicator then retries it
                // from its last stored position (duplicates are de-duplicated by consumers).
                Map.entry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000),
                Map.entry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000),
                Map.entry(ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000),
                // Low latency: a write's HTTP answer waits for this send.
                Map.entry(ProducerConfig.LINGER_MS_CONFIG, 1),
                Map.entry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
                // Explicit, and checked against the largest event at start-up (ReplicationLimitsCheck).
                Map.entry(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Math.toIntExact(settings.maxRequestSize().toBytes())),
                Map.entry(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class),
                Map.entry(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class)));
    }

    @Bean(destroyMethod = "close")
    public Admin kafkaAdmin(KafkaProperties kafka) {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG, "scoreboard-replicator-admin",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000));
    }
}
