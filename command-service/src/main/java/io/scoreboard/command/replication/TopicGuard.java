package io.scoreboard.command.replication;

import io.scoreboard.startup.StartupCheckFailedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.annotation.DependsOn;
import org.springframework.stereotype.Component;

/**
 * Before anything is replicated: the events topic exists with infinite retention and without
 * compaction, or the service refuses to start. A topic that deletes or compacts records would
 * silently lose history, which is exactly what Kafka is here to prevent.
 */
@Component
// Never create a topic for a database of another environment: StartupChecksConfiguration checks first.
@DependsOn("eventStoreDatabaseCheck")
public class TopicGuard implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(TopicGuard.class);
    private static final long TIMEOUT_SECONDS = 20;

    private final Admin admin;
    private final KafkaProperties kafka;

    public TopicGuard(Admin admin, KafkaProperties kafka) {
        this.admin = admin;
        this.kafka = kafka;
    }

    @Override
    public void afterPropertiesSet() {
        try {
            Optional<TopicDescription> topic = describe();
            if (topic.isEmpty()) {
                create();
                topic = describe();
            }
            Config config = effectiveConfig();
            refuseIf(problems(config), "Events in it would be deleted or compacted away.",
                    "Give the topic infinite retention and no compaction, e.g. kafka-configs.sh --alter "
                            + "--entity-type topics --entity-name " + kafka.topic()
                            + " --add-config retention.ms=-1,retention.bytes=-1,cleanup.policy=delete"
                            + " — or point scoreboard.kafka.topic at a topic that has them.");
            refuseIf(clusterProblems(topic.orElseThrow(), config, kafka),
                    "An acknowledged event could be lost with a single broker.",
                    "Recreate or reassign the topic with the replication factor configured in "
                            + "scoreboard.kafka.replication-factor and set its min.insync.replicas to "
                            + "scoreboard.kafka.min-insync-replicas (kafka-configs.sh --alter --add-config "
                            + "min.insync.replicas=" + kafka.minInsyncReplicas() + ").");
            log.info("Kafka topic '{}' checked: infinite retention, not compacted", kafka.topic());
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new StartupCheckFailedException(
                    "Cannot check Kafka topic '" + kafka.topic() + "' at " + kafka.bootstrapServers() + ": " + cause,
                    "scoreboard.kafka.bootstrap-servers",
                    "Start the Kafka broker or point scoreboard.kafka.bootstrap-servers at a reachable one.",
                    cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the Kafka topic", e);
        }
    }

    private void refuseIf(List<String> problems, String consequence, String fix) {
        if (!problems.isEmpty()) {
            throw new StartupCheckFailedException("Refusing to replicate to Kafka topic '" + kafka.topic() + "': "
                    + String.join("; ", problems) + ". " + consequence, "scoreboard.kafka.topic", fix, null);
        }
    }

    /** The topic, or empty when it does not exist yet. */
    private Optional<TopicDescription> describe() throws ExecutionException, InterruptedException, TimeoutException {
        try {
            return Optional.ofNullable(admin.describeTopics(Set.of(kafka.topic())).allTopicNames()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(kafka.topic()));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * On a cluster (replication factor above 1 configured): every partition has at least that many
     * replicas and the topic requires at least the configured in-sync replicas for acks=all.
     */
    static List<String> clusterProblems(TopicDescription topic, Config config, KafkaProperties kafka) {
        List<String> problems = new ArrayList<>();
        if (kafka.replicationFactor() > 1) {
            topic.partitions().stream()
                    .filter(p -> p.replicas().size() < kafka.replicationFactor())
                    .findFirst()
                    .ifPresent(p -> problems.add("partition " + p.partition() + " has " + p.replicas().size()
                            + " replicas, scoreboard.kafka.replication-factor requires " + kafka.replicationFactor()));
        }
        String minInsync = value(config, TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
        if (minInsync != null && Integer.parseInt(minInsync) < kafka.minInsyncReplicas()) {
            problems.add("min.insync.replicas is " + minInsync + ", scoreboard.kafka.min-insync-replicas requires "
                    + kafka.minInsyncReplicas());
        }
        return problems;
    }

    private void create() throws ExecutionException, InterruptedException, TimeoutException {
        NewTopic topic = new NewTopic(kafka.topic(), kafka.partitions(), kafka.replicationFactor()).configs(Map.of(
                TopicConfig.RETENTION_MS_CONFIG, "-1",
                TopicConfig.RETENTION_BYTES_CONFIG, "-1",
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(kafka.minInsyncReplicas())));
        try {
            admin.createTopics(List.of(topic)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            log.info("created Kafka topic '{}' ({} partitions, replication factor {}, infinite retention)",
                    kafka.topic(), kafka.partitions(), kafka.replicationFactor());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) { // another instance created it first
                throw e;
            }
        }
    }

    private Config effectiveConfig() throws ExecutionException, InterruptedException, TimeoutException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, kafka.topic());
        return admin.describeConfigs(List.of(resource)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(resource);
    }

    /** What is wrong with the topic's effective configuration (broker defaults included). */
    static List<String> problems(Config config) {
        List<String> problems = new ArrayList<>();
        String retentionMs = value(config, TopicConfig.RETENTION_MS_CONFIG);
        if (!"-1".equals(retentionMs)) {
            problems.add("retention.ms is " + retentionMs + " (finite), must be -1");
        }
        String retentionBytes = value(config, TopicConfig.RETENTION_BYTES_CONFIG);
        if (retentionBytes != null && !"-1".equals(retentionBytes)) {
            problems.add("retention.bytes is " + retentionBytes + " (finite), must be -1");
        }
        String cleanup = value(config, TopicConfig.CLEANUP_POLICY_CONFIG);
        if (cleanup != null && cleanup.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
            problems.add("cleanup.policy is '" + cleanup + "' (compaction keeps only the last event per board), "
                    + "must be 'delete' with infinite retention");
        }
        return problems;
    }

    private static String value(Config config, String name) {
        var entry = config.get(name);
        return entry == null ? null : entry.value();
    }
}
