package io.scoreboard.startup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * A production environment refuses an event topic on which the loss of one broker could lose an acknowledged
 * event: fewer than {@value #MIN_REPLICATION_FACTOR} replicas of a partition, or a {@code min.insync.replicas}
 * below {@value #MIN_INSYNC_REPLICAS} (then acks=all is satisfied by a single broker). Both are read from Kafka
 * as they are, the broker's defaults included when the topic does not set them, never taken from our own
 * settings. An environment is production because it says so ({@code scoreboard.production=true},
 * {@link EnvironmentVariables#PRODUCTION}{@code =true}, the CLI's {@code --production}), not because of its
 * name: a staging cluster may be named anything, and a laptop's "prod" must not pass for one (ADR 0034).
 *
 * <p>The command service, the query service and the operator CLI call {@link #require()} where they check the
 * topic's environment (start-up, a new topic incarnation, the replicator's periodic check).
 */
public final class ProductionTopicSafety {

    public static final int MIN_REPLICATION_FACTOR = 3;
    public static final int MIN_INSYNC_REPLICAS = 2;
    /** How a service's refusal names the production setting. */
    public static final String SERVICE_SETTING = "scoreboard.production (" + EnvironmentVariables.PRODUCTION + ")";

    private final Admin admin;
    private final String bootstrapServers;
    private final String topic;
    private final String productionSetting;
    private final String kafkaSetting;
    private final Duration timeout;

    /**
     * @param productionSetting how the refusal names the setting that marks production
     * @param kafkaSetting      how a failure to reach Kafka names the bootstrap servers' setting
     */
    public ProductionTopicSafety(Admin admin, String bootstrapServers, String topic, String productionSetting,
                                 String kafkaSetting, Duration timeout) {
        this.admin = admin;
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.productionSetting = productionSetting;
        this.kafkaSetting = kafkaSetting;
        this.timeout = timeout;
    }

    /**
     * Reads the topic and its effective configuration from Kafka and refuses it when it is unsafe.
     *
     * @return false when the topic does not exist (yet): nothing to judge; whoever creates it must then
     *         pass {@link #creationProblems} and check again
     * @throws UnsafeTopicRefusedException naming {@code productionSetting} and the fix
     * @throws StartupCheckFailedException when Kafka cannot be asked
     */
    public boolean require() {
        try {
            Optional<TopicDescription> description = describe();
            if (description.isEmpty()) {
                return false;
            }
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(List.of(resource)).all()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(resource);
            List<String> problems = problems(description.get(), config);
            if (!problems.isEmpty()) {
                throw refusal(topic, bootstrapServers, problems, productionSetting);
            }
            return true;
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new StartupCheckFailedException("Cannot check the replication of Kafka topic '" + topic + "' at "
                    + bootstrapServers + ": " + cause, kafkaSetting,
                    "Start the Kafka brokers or point " + kafkaSetting + " at reachable ones.", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupCheckFailedException("Interrupted while checking the replication of Kafka topic '"
                    + topic + "'", kafkaSetting, "Start again.", e);
        }
    }

    private Optional<TopicDescription> describe() throws ExecutionException, InterruptedException, TimeoutException {
        try {
            return Optional.ofNullable(admin.describeTopics(Set.of(topic)).allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(topic));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * What makes the topic unsafe for production; empty when nothing.
     *
     * @param config the topic's effective configuration as Kafka describes it (broker defaults included)
     */
    public static List<String> problems(TopicDescription topic, Config config) {
        List<String> problems = new ArrayList<>();
        topic.partitions().stream().min(Comparator.comparingInt(p -> p.replicas().size()))
                .filter(p -> p.replicas().size() < MIN_REPLICATION_FACTOR)
                .ifPresent(p -> problems.add(replicasProblem(p)));
        ConfigEntry minInsync = config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
        if (minInsync == null || minInsync.value() == null) {
            problems.add("Kafka does not report its min.insync.replicas, production needs at least "
                    + MIN_INSYNC_REPLICAS);
        } else if (Integer.parseInt(minInsync.value()) < MIN_INSYNC_REPLICAS) {
            boolean inherited = minInsync.source() != ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG
                    && minInsync.source() != ConfigEntry.ConfigSource.UNKNOWN;
            problems.add("its min.insync.replicas is " + minInsync.value()
                    + (inherited ? " (the brokers' default: the topic does not set it)" : "")
                    + ", production needs at least " + MIN_INSYNC_REPLICAS);
        }
        return problems;
    }

    private static String replicasProblem(TopicPartitionInfo partition) {
        return "partition " + partition.partition() + " has " + partition.replicas().size() + " replica"
                + (partition.replicas().size() == 1 ? "" : "s") + ", production needs at least "
                + MIN_REPLICATION_FACTOR;
    }

    /** What makes the settings a new topic would be created with unsafe for production; empty when nothing. */
    public static List<String> creationProblems(int replicationFactor, String replicationFactorSetting,
                                                int minInsyncReplicas, String minInsyncReplicasSetting) {
        List<String> problems = new ArrayList<>();
        if (replicationFactor < MIN_REPLICATION_FACTOR) {
            problems.add(replicationFactorSetting + " is " + replicationFactor + ", production needs at least "
                    + MIN_REPLICATION_FACTOR);
        }
        if (minInsyncReplicas < MIN_INSYNC_REPLICAS) {
            problems.add(minInsyncReplicasSetting + " is " + minInsyncReplicas + ", production needs at least "
                    + MIN_INSYNC_REPLICAS);
        }
        return problems;
    }

    /** The refusal, in the words of the start-up checks: what is wrong, the setting, the fix. */
    public static UnsafeTopicRefusedException refusal(String topic, String bootstrapServers, List<String> problems,
                                                      String productionSetting) {
        return new UnsafeTopicRefusedException("Refusing Kafka topic '" + topic + "' at " + bootstrapServers
                + " in production: " + String.join("; ", problems) + ". With fewer than " + MIN_REPLICATION_FACTOR
                + " replicas, or min.insync.replicas below " + MIN_INSYNC_REPLICAS + ", the loss of one broker can "
                + "lose events Kafka has acknowledged. Nothing was changed.", productionSetting,
                "Give the topic " + MIN_REPLICATION_FACTOR + " replicas (kafka-reassign-partitions.sh, or Strimzi's "
                        + "KafkaTopic spec.replicas) and min.insync.replicas=" + MIN_INSYNC_REPLICAS
                        + " (kafka-configs.sh --alter --entity-type topics --entity-name " + topic
                        + " --add-config min.insync.replicas=" + MIN_INSYNC_REPLICAS + "), on a cluster of at least "
                        + MIN_REPLICATION_FACTOR + " brokers. If this environment is not production, unset "
                        + productionSetting + " (docs/production.md).");
    }
}
