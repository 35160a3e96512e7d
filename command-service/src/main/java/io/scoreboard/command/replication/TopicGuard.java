package io.scoreboard.command.replication;

import io.scoreboard.startup.EventTopicSettings;
import io.scoreboard.startup.ProductionTopicSafety;
import io.scoreboard.startup.StartupCheckFailedException;
import io.scoreboard.startup.TopicEnvironment;
import io.scoreboard.startup.TopicEnvironmentCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.DependsOn;
import org.springframework.stereotype.Component;

/**
 * Before anything is replicated: the events topic belongs to this service's environment (ADR 0017),
 * exists with infinite retention and without compaction, and in production (scoreboard.production) has
 * at least 3 replicas and min.insync.replicas 2 (ADR 0034), or the service refuses to start. A topic of
 * another environment would receive this environment's events; one that deletes or compacts records
 * would silently lose history, which is exactly what Kafka is here to prevent.
 */
@Component
// Never create a topic for a database of another environment: StartupChecksConfiguration checks first.
@DependsOn("eventStoreDatabaseCheck")
public class TopicGuard implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(TopicGuard.class);
    private static final long TIMEOUT_SECONDS = 20;
    /**
     * How long a topic just created may stay invisible: on a cluster the broker asked next may not have the new
     * topic's metadata yet and answers UnknownTopicOrPartition until it propagates (usually milliseconds).
     */
    static final Duration READ_BACK_BOUND = Duration.ofSeconds(10);
    private static final Duration READ_BACK_PAUSE = Duration.ofMillis(100);

    private final Admin admin;
    private final KafkaProperties kafka;
    private final EventPositions eventStore;
    private final StoredReplicatorToken replicatorToken;
    private final String environment;
    private final TopicEnvironmentCheck topicEnvironment;
    /** Null unless this is a production environment. */
    private final ProductionTopicSafety productionSafety;

    TopicGuard(Admin admin, KafkaProperties kafka, EventPositions eventStore, StoredReplicatorToken replicatorToken,
               @Value("${scoreboard.environment:}") String environment,
               @Value("${scoreboard.production:false}") boolean production) {
        this.admin = admin;
        this.kafka = kafka;
        this.eventStore = eventStore;
        this.replicatorToken = replicatorToken;
        this.environment = environment;
        this.topicEnvironment = new TopicEnvironmentCheck(admin, kafka.bootstrapServers(), kafka.topic(),
                TopicEnvironment.Settings.SERVICE);
        this.productionSafety = production ? new ProductionTopicSafety(admin, kafka.bootstrapServers(), kafka.topic(),
                ProductionTopicSafety.SERVICE_SETTING, "scoreboard.kafka.bootstrap-servers",
                Duration.ofSeconds(TIMEOUT_SECONDS)) : null;
    }

    /**
     * The topic may be published to: it belongs to this service's environment (refuses, naming both
     * environments, a topic recorded for another one, or one holding events that records none; records a
     * new, empty topic for this environment once), and in production it is replicated safely (its replicas
     * and min.insync.replicas as Kafka reports them now: they can be changed under a running service). Sends
     * nothing. The replicator calls it on taking the claim and every minute after, outside any
     * transaction; a refusal stops replication loudly.
     *
     * @return the environment verdict; {@link TopicEnvironment.Verdict#bound()} unless the topic does not exist yet
     * @throws io.scoreboard.startup.TopicRefusedException when the topic is refused
     */
    public TopicEnvironment.Verdict requireUsableTopic() {
        TopicEnvironment.Verdict verdict = topicEnvironment.require(environment, TopicEnvironment.Use.OWN);
        if (productionSafety != null) {
            productionSafety.require();
        }
        return verdict;
    }

    @Override
    public void afterPropertiesSet() {
        // First: a topic of another environment is refused before the topic is created or anything is sent.
        TopicEnvironment.Verdict identity = topicEnvironment.check(environment, TopicEnvironment.Use.OWN);
        try {
            Optional<TopicDescription> topic = describe();
            long records = topic.isPresent() ? recordsIn(topic.get()) : 0;
            refuseIfHistoryWouldBeMissing(topic.isPresent(), records);
            refuseIfTheEventStoreWasLost(records);
            if (topic.isEmpty() && productionSafety != null) {
                // Before creating anything: a topic created with these settings would be refused right after.
                refuseUnsafe(ProductionTopicSafety.creationProblems(kafka.replicationFactor(),
                        "scoreboard.kafka.replication-factor", kafka.minInsyncReplicas(),
                        "scoreboard.kafka.min-insync-replicas"));
            }
            boolean created = false;
            if (topic.isEmpty()) {
                create();
                created = true;
                topic = Optional.of(untilVisible(kafka.topic(), this::describe, READ_BACK_BOUND, READ_BACK_PAUSE));
            }
            Config config = created
                    ? untilVisible(kafka.topic(), () -> Optional.of(effectiveConfig()), READ_BACK_BOUND, READ_BACK_PAUSE)
                    : effectiveConfig();
            if (productionSafety != null) {
                // The topic as Kafka has it (the brokers' defaults included), whatever our own settings say.
                refuseUnsafe(ProductionTopicSafety.problems(topic.orElseThrow(), config));
            }
            refuseIf(EventTopicSettings.problems(config), "Events in it would be deleted or compacted away.",
                    "Give the topic infinite retention and no compaction, e.g. "
                            + EventTopicSettings.fixCommand(kafka.topic())
                            + " — or point scoreboard.kafka.topic at a topic that has them.");
            refuseIf(clusterProblems(topic.orElseThrow(), config, kafka),
                    "An acknowledged event could be lost with a single broker.",
                    "Recreate or reassign the topic with the replication factor configured in "
                            + "scoreboard.kafka.replication-factor and set its min.insync.replicas to "
                            + "scoreboard.kafka.min-insync-replicas (kafka-configs.sh --alter --add-config "
                            + "min.insync.replicas=" + kafka.minInsyncReplicas() + ").");
            if (!identity.bound()) {
                // Last, once every other check passed: a new (or recreated, empty) topic becomes this environment's.
                topicEnvironment.claim(environment);
            }
            log.info("Kafka topic '{}' checked: environment '{}', infinite retention, not compacted{}", kafka.topic(),
                    environment, productionSafety != null ? ", replicated safely for production" : "");
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

    /**
     * The replicator resumes from its stored position. If the topic was lost (deleted, or recreated
     * empty) after the replicator had published to it, replicating only what comes after that
     * position would leave every reader of the topic without the history before it: refuse, and
     * let republish refill the topic first. A replicator that never published anything starts from
     * the beginning of the store, so a new installation (or one that never reached Kafka) passes.
     */
    private void refuseIfHistoryWouldBeMissing(boolean topicExists, long records) {
        OptionalLong published = replicatorToken.read().map(c -> OptionalLong.of(c.head())).orElse(OptionalLong.empty());
        boolean publishedEvents = published.isPresent() && eventStore.anyAtOrBelow(published.getAsLong());
        lostHistory(topicExists, records, publishedEvents).ifPresent(problem -> {
            throw new StartupCheckFailedException("Refusing to replicate to Kafka topic '" + kafka.topic() + "': "
                    + problem + " (up to position " + published.getAsLong() + "). Replicating only the events after "
                    + "that would leave the topic without the history before them.", "scoreboard.kafka.topic",
                    "Refill the topic from the event store with the operator CLI, then start the service again: "
                            + "./scoreboard republish --topic " + kafka.topic() + " --confirm <environment> "
                            + "(docs/runbook.md, \"Topic lost\"). If scoreboard.kafka.topic names the wrong topic, "
                            + "correct it instead.", null);
        });
    }

    /**
     * The mirror case: the event store is empty but the topic holds history. The store was lost (or
     * this is the wrong database or topic). Accepting writes now would give new events positions and
     * sequence numbers the topic's history already uses, and a later restore would have to refuse:
     * restore the store from the topic first.
     */
    private void refuseIfTheEventStoreWasLost(long records) {
        if (records == 0) {
            return; // nothing to lose (and no need to ask the store)
        }
        lostEventStore(eventStore.hasEvents(), records).ifPresent(problem -> {
            throw new StartupCheckFailedException("Refusing to start on an empty event store: " + problem
                    + ". New events would reuse the positions and sequence numbers of the history in the topic.",
                    "spring.datasource.url",
                    "Restore the event store from the topic first: ./scoreboard restore-event-store --from kafka "
                            + "--confirm <environment> (docs/runbook.md, \"The event store is lost\"), then start the "
                            + "service again. If spring.datasource.url or scoreboard.kafka.topic names the wrong "
                            + "database or topic, correct it instead.", null);
        });
    }

    /** Why the event store looks lost, if it does: no event in it, but records in the topic. */
    static Optional<String> lostEventStore(boolean storeHasEvents, long recordsInTopic) {
        if (storeHasEvents || recordsInTopic == 0) {
            return Optional.empty();
        }
        return Optional.of("it holds no events, but the Kafka topic holds " + recordsInTopic + " records");
    }

    /** Why starting now would leave a gap in the topic, if it would. */
    static Optional<String> lostHistory(boolean topicExists, long recordsInTopic, boolean replicatorPublishedEvents) {
        if (!replicatorPublishedEvents) {
            return Optional.empty(); // it will publish the store from the beginning: nothing can be missing
        }
        if (!topicExists) {
            return Optional.of("it does not exist, but the replicator had already published stored events to it");
        }
        if (recordsInTopic == 0) {
            return Optional.of("it holds no records, but the replicator had already published stored events to it");
        }
        return Optional.empty();
    }

    /** Records ever written to the topic (the sum of its partitions' end offsets). */
    private long recordsIn(TopicDescription topic) throws ExecutionException, InterruptedException, TimeoutException {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        topic.partitions().forEach(p -> latest.put(new TopicPartition(kafka.topic(), p.partition()), OffsetSpec.latest()));
        return admin.listOffsets(latest).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).values().stream()
                .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
    }

    private void refuseUnsafe(List<String> problems) {
        if (!problems.isEmpty()) {
            throw ProductionTopicSafety.refusal(kafka.topic(), kafka.bootstrapServers(), problems,
                    ProductionTopicSafety.SERVICE_SETTING);
        }
    }

    private void refuseIf(List<String> problems, String consequence, String fix) {
        if (!problems.isEmpty()) {
            throw new StartupCheckFailedException("Refusing to replicate to Kafka topic '" + kafka.topic() + "': "
                    + String.join("; ", problems) + ". " + consequence, "scoreboard.kafka.topic", fix, null);
        }
    }

    /** One read-back of a topic: empty (or UnknownTopicOrPartition) while the answering broker does not know it. */
    @FunctionalInterface
    interface ReadBack<T> {
        Optional<T> read() throws ExecutionException, InterruptedException, TimeoutException;
    }

    /**
     * {@code read}'s answer once the just-created topic is visible to the broker asked, retried for at most
     * {@code bound}; any other failure is not retried here.
     */
    static <T> T untilVisible(String topic, ReadBack<T> read, Duration bound, Duration pause)
            throws ExecutionException, InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            try {
                Optional<T> found = read.read();
                if (found.isPresent()) {
                    return found.get();
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new StartupCheckFailedException("Kafka topic '" + topic + "' was created but the brokers "
                        + "still do not know it after " + bound.toMillis() + " ms.", "scoreboard.kafka.bootstrap-servers",
                        "Check that the brokers in scoreboard.kafka.bootstrap-servers are one healthy cluster "
                                + "(kafka-metadata-quorum.sh describe --status), then start again.", null);
            }
            Thread.sleep(pause.toMillis());
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
        NewTopic topic = EventTopicSettings.newTopic(kafka.topic(), kafka.partitions(), kafka.replicationFactor(),
                kafka.minInsyncReplicas());
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

    private static String value(Config config, String name) {
        return EventTopicSettings.value(config, name);
    }
}
