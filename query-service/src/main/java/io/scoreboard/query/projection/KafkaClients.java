package io.scoreboard.query.projection;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Kafka clients of this service. Every option that matters for correctness is set here on
 * purpose rather than left to a client default that could change between versions.
 */
@Configuration(proxyBeanMethods = false)
class KafkaClients {

    /** One shared Admin client: thread-safe; read-your-writes waits reach it only through {@link TopicEndOffsets}. */
    @Bean(destroyMethod = "close")
    Admin kafkaAdmin(QueryKafkaProperties kafka) {
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, kafka.consumerGroup() + "-admin");
        // Callers bound each call with their own remaining time; these only cap a stuck call.
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        return Admin.create(config);
    }

    /** The Admin round trips that read the topic's end: a seam of their own, so tests can count them. */
    @Bean
    EndOffsetReader topicEndOffsetReader(Admin admin, QueryKafkaProperties kafka) {
        return EndOffsetReader.of(admin, kafka.topic());
    }

    /** The one place that looks at the topic's end for every waiting read (docs/adr/0018). */
    @Bean(destroyMethod = "close")
    TopicEndOffsets topicEndOffsets(EndOffsetReader reader, ReadYourWritesProperties readYourWrites) {
        return new TopicEndOffsets(reader, readYourWrites.endOffsetsInterval());
    }

    static KafkaConsumer<String, byte[]> newConsumer(QueryKafkaProperties kafka) {
        return new KafkaConsumer<>(consumerConfig(kafka));
    }

    static Map<String, Object> consumerConfig(QueryKafkaProperties kafka) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, kafka.consumerGroup());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, kafka.consumerGroup() + "-projection");
        // Offsets live in the read database, committed with the projection's changes. Kafka's
        // committed offsets would be a second, unsynchronised truth: never commit them.
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Only used for partitions without a stored checkpoint (a fresh read database): start
        // from the first event, never from "now", or the read model would miss history.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // A transactional producer's aborted events must never reach the read model.
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase());
        // The command service creates the topic with infinite retention; a topic auto-created by
        // a reader would have broker defaults (finite retention) and hide a misconfiguration.
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, kafka.maxPollRecords());
        // A batch is one database transaction; if applying it takes longer than this the broker
        // hands the partitions to another instance (which then skips what we committed).
        config.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 300_000);
        // How long a killed instance's partitions wait for another instance (scoreboard.kafka.session-timeout).
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Math.toIntExact(kafka.sessionTimeout().toMillis()));
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Math.toIntExact(kafka.heartbeatInterval().toMillis()));
        // Incremental rebalancing: a joining instance does not stop the others' partitions.
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        // Notice a topic (or new partitions) created after start-up within seconds, not minutes.
        config.put(CommonClientConfigs.METADATA_MAX_AGE_CONFIG, 5_000);
        config.put(ConsumerConfig.CHECK_CRCS_CONFIG, true);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return config;
    }
}
