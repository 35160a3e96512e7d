package io.scoreboard.operator.republish;

import io.scoreboard.operator.cli.OperatorException;
import io.scoreboard.startup.EventTopicSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** What republish needs to know and do about the event topic: does it exist, what it holds, create it. */
final class EventTopicAdmin implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Admin admin;
    private final String bootstrap;
    private final String topic;

    EventTopicAdmin(String bootstrap, String topic) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.CLIENT_ID_CONFIG, "scoreboard-republish-admin",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis()));
    }

    /**
     * The topic as it is now.
     *
     * @param partitions 0 when the topic does not exist
     * @param records    records ever written (sum of end offsets)
     * @param problems   what is wrong with its retention or compaction; empty when fine or missing
     */
    record State(int partitions, long records, List<String> problems) {
        boolean exists() {
            return partitions > 0;
        }
    }

    State state() {
        Optional<TopicDescription> description = describe();
        if (description.isEmpty()) {
            return new State(0, 0, List.of());
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        description.get().partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()),
                OffsetSpec.latest()));
        long records = await(admin.listOffsets(latest).all()).values().stream()
                .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = await(admin.describeConfigs(List.of(resource)).all()).get(resource);
        return new State(description.get().partitions().size(), records, EventTopicSettings.problems(config));
    }

    /** Creates the topic as the command service would; false when someone else created it first. */
    boolean create(int partitions, short replicationFactor, int minInsyncReplicas) {
        try {
            admin.createTopics(List.of(EventTopicSettings.newTopic(topic, partitions, replicationFactor,
                    minInsyncReplicas))).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return false;
            }
            throw unreachable(e.getCause());
        } catch (TimeoutException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(e);
        }
    }

    private Optional<TopicDescription> describe() {
        try {
            return Optional.of(admin.describeTopics(Set.of(topic)).allTopicNames()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw unreachable(e.getCause());
        } catch (TimeoutException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(e);
        }
    }

    private <T> T await(org.apache.kafka.common.KafkaFuture<T> future) {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw unreachable(e.getCause());
        } catch (TimeoutException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(e);
        }
    }

    private OperatorException unreachable(Throwable cause) {
        return OperatorException.unreachable("cannot read or create topic '" + topic + "' on Kafka at " + bootstrap
                + ": " + cause, "check that the broker runs and --kafka / SCOREBOARD_KAFKA is right", cause);
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
