package io.scoreboard.startup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * What the event topic must look like, in one place for everything that creates or checks it (the
 * command service's TopicGuard, the operator's republish): infinite retention, never compacted. A
 * topic that deletes or compacts records silently loses history, which Kafka is here to prevent.
 */
public final class EventTopicSettings {

    /** The topic's name unless configured otherwise (scoreboard.kafka.topic, SCOREBOARD_TOPIC, the manifests). */
    public static final String DEFAULT_TOPIC = "scoreboard-events";

    /** Defaults of a new topic; strings so that configuration annotations can use them. */
    public static final String DEFAULT_PARTITIONS = "3";
    public static final String DEFAULT_REPLICATION_FACTOR = "1";
    public static final String DEFAULT_MIN_INSYNC_REPLICAS = "1";

    private EventTopicSettings() {}

    /** The event topic as it is created: infinite retention, delete policy (never compaction). */
    public static NewTopic newTopic(String name, int partitions, short replicationFactor, int minInsyncReplicas) {
        return new NewTopic(name, partitions, replicationFactor).configs(Map.of(
                TopicConfig.RETENTION_MS_CONFIG, "-1",
                TopicConfig.RETENTION_BYTES_CONFIG, "-1",
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minInsyncReplicas)));
    }

    /** What is wrong with a topic's effective configuration (broker defaults included); empty when nothing. */
    public static List<String> problems(Config config) {
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

    /** The fix for {@link #problems}: the command that gives {@code topic} the settings it needs. */
    public static String fixCommand(String topic) {
        return "kafka-configs.sh --alter --entity-type topics --entity-name " + topic
                + " --add-config retention.ms=-1,retention.bytes=-1,cleanup.policy=delete";
    }

    /** A setting's effective value, or null when the broker did not report it. */
    public static String value(Config config, String name) {
        var entry = config.get(name);
        return entry == null ? null : entry.value();
    }
}
