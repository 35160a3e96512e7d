package io.scoreboard.operator.source;

import io.scoreboard.operator.cli.OperatorException;
import io.scoreboard.operator.cli.WaitingOut;
import io.scoreboard.startup.EnvironmentVariables;
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
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The event topic as Kafka's admin API sees it: does it exist (and which incarnation: its topic id),
 * its partitions, what it holds, whether its settings keep history; and creating it as the command
 * service would. Every operator command asks through here.
 */
public final class EventTopicAdmin implements AutoCloseable {

    /**
     * One try's bound: a healthy broker answers in milliseconds, and a broker that is down is waited
     * out by {@link WaitingOut} in steps the operator sees, not inside one silent call.
     */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Admin admin;
    private final String bootstrap;
    private final String topic;
    private final Duration timeout;
    private final WaitingOut waiting;

    /** Gives up on the first fault (tests, and callers that wait around it themselves). */
    public EventTopicAdmin(String bootstrap, String topic) {
        this(bootstrap, topic, TIMEOUT, null);
    }

    /**
     * @param timeout one try's bound
     * @param waiting waits out Kafka being unreachable, or null to give up at the first fault
     */
    public EventTopicAdmin(String bootstrap, String topic, Duration timeout, WaitingOut waiting) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.timeout = timeout;
        this.waiting = waiting;
        int millis = (int) timeout.toMillis();
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.CLIENT_ID_CONFIG, "scoreboard-cli-admin",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(millis, 10_000),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis));
    }

    /**
     * The topic as it is now.
     *
     * @param partitions 0 when the topic does not exist
     * @param records    records ever written (sum of end offsets)
     * @param problems   what is wrong with its retention or compaction; empty when fine or missing
     */
    public record State(int partitions, long records, List<String> problems) {
        public boolean exists() {
            return partitions > 0;
        }
    }

    public State state() {
        return waited("reading the state of topic '" + topic + "'", this::stateOnce);
    }

    private State stateOnce() {
        Optional<TopicDescription> description = describeOnce();
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
    public boolean create(int partitions, short replicationFactor, int minInsyncReplicas) {
        // A try whose answer was lost may have created it: the next finds it existing, as if someone else had.
        return waited("creating topic '" + topic + "'", () -> awaitUnless(admin.createTopics(List.of(EventTopicSettings.newTopic(topic, partitions,
                replicationFactor, minInsyncReplicas))).all().thenApply(created -> Boolean.TRUE),
                TopicExistsException.class).isPresent());
    }

    /** The topic's partitions in order, or empty when the topic does not exist. */
    public List<Integer> partitions() {
        return describe().map(d -> d.partitions().stream().map(p -> p.partition()).sorted().toList())
                .orElse(List.of());
    }

    /** Kafka's id of the topic's current incarnation (a recreated topic gets a new one); empty when missing. */
    public Optional<String> topicId() {
        return describe().map(d -> d.topicId().toString());
    }

    /** The topic, or empty when it does not exist. */
    public Optional<TopicDescription> describe() {
        return waited("looking up topic '" + topic + "'", this::describeOnce);
    }

    private Optional<TopicDescription> describeOnce() {
        return awaitUnless(admin.describeTopics(Set.of(topic)).allTopicNames(), UnknownTopicOrPartitionException.class)
                .map(all -> all.get(topic));
    }

    /** One request, tried again while Kafka is unreachable when this admin waits. */
    private <T> T waited(String doing, java.util.function.Supplier<T> request) {
        if (waiting == null) {
            return request.get();
        }
        try {
            return waiting.retry(doing, request::get);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T await(KafkaFuture<T> future) {
        return awaitUnless(future, null).orElseThrow();
    }

    /**
     * The future's value; empty when it failed with {@code expected} (the topic is missing, or exists
     * already); anything else is Kafka being unreachable or refusing, and ends the command.
     */
    private <T> Optional<T> awaitUnless(KafkaFuture<T> future, Class<? extends Throwable> expected) {
        try {
            return Optional.of(future.get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS));
        } catch (ExecutionException e) {
            if (expected != null && expected.isInstance(e.getCause())) {
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

    private OperatorException unreachable(Throwable cause) {
        return OperatorException.unreachable("cannot read or create topic '" + topic + "' on Kafka at " + bootstrap
                + ": " + cause, "check that the broker runs and --kafka / " + EnvironmentVariables.KAFKA
                + " is right", cause);
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
