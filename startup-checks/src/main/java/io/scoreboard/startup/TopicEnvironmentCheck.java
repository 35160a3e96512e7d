package io.scoreboard.startup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scoreboard.startup.TopicEnvironment.Observed;
import io.scoreboard.startup.TopicEnvironment.Recorded;
import io.scoreboard.startup.TopicEnvironment.Settings;
import io.scoreboard.startup.TopicEnvironment.Use;
import io.scoreboard.startup.TopicEnvironment.Verdict;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every service and operator command calls before it uses the event topic: reads the topic and
 * its identity records from Kafka and lets {@link TopicEnvironment} decide. Reading joins no consumer
 * group and commits nothing; the only thing it ever writes is an identity record, and only when the
 * decision allows a claim. Callable from a plain method at any time (the replicator checks again
 * before it publishes to a topic incarnation it has not seen).
 */
public final class TopicEnvironmentCheck implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TopicEnvironmentCheck.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** How long {@link #claim} looks again for a topic just created that the broker does not list yet. */
    private static final Duration CREATED_TOPIC_PATIENCE = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Admin admin;
    private final boolean ownsAdmin;
    private final String bootstrapServers;
    private final String topic;
    private final String identityTopic;
    private final Settings settings;

    /** With the caller's admin client (not closed here). */
    public TopicEnvironmentCheck(Admin admin, String bootstrapServers, String topic, Settings settings) {
        this(admin, false, bootstrapServers, topic, settings);
    }

    private TopicEnvironmentCheck(Admin admin, boolean ownsAdmin, String bootstrapServers, String topic,
                                  Settings settings) {
        this.admin = admin;
        this.ownsAdmin = ownsAdmin;
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.identityTopic = TopicEnvironment.identityTopic(topic);
        this.settings = settings;
    }

    /** With its own admin client, closed by {@link #close()}. */
    public static TopicEnvironmentCheck open(String bootstrapServers, String topic, Settings settings) {
        Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "scoreboard-topic-environment",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis()));
        return new TopicEnvironmentCheck(admin, true, bootstrapServers, topic, settings);
    }

    public String topic() {
        return topic;
    }

    /** Decides without changing anything; throws {@link TopicEnvironmentRefusedException} on a refusal. */
    public Verdict check(String environment, Use use) {
        return TopicEnvironment.decide(environment, observe(), use, settings);
    }

    /**
     * {@link #check}, and for {@link Use#OWN} an existing topic that may be claimed is recorded for
     * {@code environment} at once. A missing one stays {@link TopicEnvironment.Kind#CLAIMABLE}: whoever
     * creates it claims it with {@link #claim} right after.
     */
    public Verdict require(String environment, Use use) {
        Observed observed = observe();
        Verdict verdict = TopicEnvironment.decide(environment, observed, use, settings);
        if (verdict.kind() == TopicEnvironment.Kind.CLAIMABLE && observed.topicId().isPresent()) {
            return record(environment, observed, false);
        }
        return verdict;
    }

    /** Records the existing topic as {@code environment}'s when the decision allows (new or empty, nobody else's). */
    public Verdict claim(String environment) {
        awaitListed();
        Observed observed = observe();
        Verdict verdict = TopicEnvironment.decide(environment, observed, Use.OWN, settings);
        if (verdict.bound()) {
            return verdict;
        }
        if (observed.topicId().isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist: create it before claiming it");
        }
        return record(environment, observed, false);
    }

    /**
     * Records a topic that already holds events for {@code environment} (an installation from before
     * topics recorded their environment). Still refuses another environment's topic; the caller
     * (the operator's {@code claim-topic}) has checked that the events are {@code environment}'s.
     */
    public Verdict claimWithRecords(String environment) {
        Observed observed = observe();
        Verdict verdict = TopicEnvironment.decide(environment, observed, Use.REPORT, settings);
        if (verdict.bound()) {
            return verdict;
        }
        if (observed.topicId().isEmpty()) {
            throw new TopicEnvironmentRefusedException("Kafka topic '" + topic + "' does not exist at "
                    + bootstrapServers + ": there is nothing to record. Nothing was changed.", settings.topic(),
                    "Check the topic setting; a new topic is recorded by the first service that uses it.");
        }
        return record(environment, observed, true);
    }

    private Verdict record(String environment, Observed observed, boolean withRecords) {
        String topicId = observed.topicId().orElseThrow();
        createIdentityTopicIfMissing();
        write(environment, topicId);
        if (withRecords) {
            log.warn("Kafka topic '{}' (id {}) holding {} records was recorded as belonging to environment '{}' in '{}'",
                    topic, topicId, observed.records(), environment, identityTopic);
        } else {
            log.info("Kafka topic '{}' (id {}) recorded as belonging to environment '{}' in '{}'",
                    topic, topicId, environment, identityTopic);
        }
        // Read back: when two processes claimed at once, the first record written decides for both.
        Observed after = observe();
        Verdict verdict = TopicEnvironment.decide(environment, after, withRecords ? Use.REPORT : Use.OWN, settings);
        if (!verdict.bound()) {
            throw new StartupCheckFailedException("The identity record of Kafka topic '" + topic + "' was written to '"
                    + identityTopic + "' but is not there to read back.", settings.kafka(),
                    "Check that the broker at " + bootstrapServers + " accepts writes, then start again.", null);
        }
        return verdict;
    }

    /** The topic as it is, and every identity record written for its name. */
    public Observed observe() {
        try {
            Optional<TopicDescription> main = describe(topic);
            long records = main.isPresent() ? recordsIn(main.get()) : 0;
            List<Recorded> recorded = readIdentityRecords();
            return new Observed(topic, bootstrapServers, main.map(d -> d.topicId().toString()), records, recorded);
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            throw unreachable(e instanceof ExecutionException ? e.getCause() : e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(e);
        }
    }

    private List<Recorded> readIdentityRecords() throws ExecutionException, InterruptedException, TimeoutException {
        Optional<TopicDescription> description = describe(identityTopic);
        if (description.isEmpty()) {
            return List.of();
        }
        if (description.get().partitions().size() != 1) {
            throw new TopicEnvironmentRefusedException("The identity topic '" + identityTopic + "' has "
                    + description.get().partitions().size() + " partitions; it must have exactly one, so that its "
                    + "records have one order. Nothing was changed.", settings.topic(),
                    "Recreate it with one partition holding the identity record (docs/runbook.md, \"Topics record "
                            + "their environment\").");
        }
        TopicPartition partition = new TopicPartition(identityTopic, 0);
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "scoreboard-topic-environment");
        // No group: assigned by hand, nothing committed, no consumer group appears on the broker.
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        List<Recorded> recorded = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), TIMEOUT).get(partition);
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (consumer.position(partition, TIMEOUT) < end) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("reading " + identityTopic + " up to offset " + end);
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.offset() < end) {
                        recorded.add(parse(r));
                    }
                }
            }
        }
        return recorded;
    }

    private Recorded parse(ConsumerRecord<String, byte[]> r) {
        try {
            JsonNode json = r.value() == null ? null : JSON.readTree(r.value());
            if (json != null && json.path("environment").isTextual() && json.path("topic").isTextual()
                    && json.path("topicId").isTextual()) {
                Recorded recorded = new Recorded(r.offset(), json.get("environment").asText(),
                        json.get("topic").asText(), json.get("topicId").asText());
                if (!recorded.topic().equals(topic)) {
                    throw new TopicEnvironmentRefusedException("The identity topic '" + identityTopic + "' holds a "
                            + "record for topic '" + recorded.topic() + "' (offset " + r.offset() + "), not for '"
                            + topic + "'. Nothing was changed.", settings.topic(),
                            "Find out who wrote it; each topic's identity lives in '<topic>" + TopicEnvironment.IDENTITY_SUFFIX
                                    + "' and names that topic.");
                }
                return recorded;
            }
        } catch (IOException e) {
            // not JSON: refused below
        }
        throw new TopicEnvironmentRefusedException("The identity topic '" + identityTopic + "' holds a record that is "
                + "not an identity record at offset " + r.offset() + ". Nothing was changed.", settings.topic(),
                "Only Scoreboard writes there ({\"environment\":…,\"topic\":…,\"topicId\":…}); find out who wrote it.");
    }

    private void write(String environment, String topicId) {
        Map<String, String> value = new LinkedHashMap<>();
        value.put("environment", environment);
        value.put("topic", topic);
        value.put("topicId", topicId);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, "scoreboard-topic-environment",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) TIMEOUT.toMillis(),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis()),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(identityTopic, topic, JSON.writeValueAsBytes(value)))
                    .get(TIMEOUT.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | KafkaException | IOException e) {
            throw unreachable(e instanceof ExecutionException ? e.getCause() : e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(e);
        }
    }

    /** One partition, replicated like the event topic, never compacted: the order of claims must survive. */
    private void createIdentityTopicIfMissing() {
        try {
            TopicDescription main = describe(topic).orElseThrow();
            short replicationFactor = (short) main.partitions().get(0).replicas().size();
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = await(admin.describeConfigs(List.of(resource)).all()).get(resource);
            String minInsync = EventTopicSettings.value(config, TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
            int minInsyncReplicas = Math.min(replicationFactor, minInsync == null ? 1 : Integer.parseInt(minInsync));
            await(admin.createTopics(List.of(EventTopicSettings.newTopic(identityTopic, 1, replicationFactor,
                    minInsyncReplicas))).all());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw unreachable(e.getCause());
            }
        } catch (TimeoutException | KafkaException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(e);
        }
    }

    /**
     * {@link #claim} is called right after the topic's creation, and a broker may not list a new topic for a
     * moment (KRaft propagates its metadata asynchronously): look for it for a few seconds, by its description
     * alone (the identity records are read once, after). A topic still missing is then refused by the caller.
     */
    private void awaitListed() {
        long deadline = System.nanoTime() + CREATED_TOPIC_PATIENCE.toNanos();
        try {
            while (describe(topic).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            throw unreachable(e instanceof ExecutionException ? e.getCause() : e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(e);
        }
    }

    private Optional<TopicDescription> describe(String name)
            throws ExecutionException, InterruptedException, TimeoutException {
        try {
            return Optional.ofNullable(await(admin.describeTopics(Set.of(name)).allTopicNames()).get(name));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private long recordsIn(TopicDescription description)
            throws ExecutionException, InterruptedException, TimeoutException {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        description.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        return await(admin.listOffsets(latest).all()).values().stream()
                .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
    }

    private static <T> T await(KafkaFuture<T> future) throws ExecutionException, InterruptedException, TimeoutException {
        return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private StartupCheckFailedException unreachable(Throwable cause) {
        return new StartupCheckFailedException("Cannot check the environment of Kafka topic '" + topic + "' at "
                + bootstrapServers + ": " + cause, settings.kafka(),
                "Start the Kafka broker or point " + settings.kafka() + " at a reachable one.", cause);
    }

    @Override
    public void close() {
        if (ownsAdmin) {
            admin.close(Duration.ofSeconds(5));
        }
    }
}
