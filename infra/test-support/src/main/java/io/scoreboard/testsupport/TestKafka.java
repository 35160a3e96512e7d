package io.scoreboard.testsupport;

import io.scoreboard.infra.localstack.EmbeddedKafka;
import io.scoreboard.infra.localstack.Ports;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The one Kafka broker of this test JVM, chosen in this order: the brokers named by
 * {@code SCOREBOARD_TEST_KAFKA} (bootstrap servers); a Testcontainers apache/kafka:3.9.1 when Docker
 * answers; else an {@link EmbeddedKafka} under {@code target/embedded-kafka}, stopped when the JVM
 * exits. Tests share the broker and isolate themselves by topic ({@link #uniqueTopic}).
 */
public final class TestKafka {

    public static final String BOOTSTRAP_VARIABLE = "SCOREBOARD_TEST_KAFKA";

    private static final Logger log = LoggerFactory.getLogger(TestKafka.class);
    private static String bootstrapServers;
    private static EmbeddedKafka embedded;

    private TestKafka() {
    }

    public static synchronized String bootstrapServers() {
        if (bootstrapServers == null) {
            bootstrapServers = choose();
        }
        return bootstrapServers;
    }

    /** The embedded broker, when that is what runs: fault tests stop and restart it. */
    public static synchronized Optional<EmbeddedKafka> embedded() {
        bootstrapServers();
        return Optional.ofNullable(embedded);
    }

    /** A topic name no other test uses: {@code prefix-<random>}. */
    public static String uniqueTopic(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private static String choose() {
        String configured = System.getenv(BOOTSTRAP_VARIABLE);
        if (configured != null && !configured.isBlank()) {
            requireReachable(configured.trim());
            log.info("test Kafka: {} from {}", configured.trim(), BOOTSTRAP_VARIABLE);
            return configured.trim();
        }
        if (Docker.isAvailable()) {
            // The same broker settings the embedded one has, so tests behave alike on both.
            KafkaContainer container = new KafkaContainer("apache/kafka:3.9.1")
                    .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                    .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
            container.start(); // Testcontainers' reaper removes it when this JVM exits
            log.info("test Kafka: Testcontainers apache/kafka:3.9.1 at {}", container.getBootstrapServers());
            return container.getBootstrapServers();
        }
        embedded = ModuleTargetDirectory.startInFreeSlot("embedded-kafka", dir -> {
            int port = Ports.findFree();
            return EmbeddedKafka.start(dir, port, Ports.findFreeExcept(port));
        });
        log.info("test Kafka: embedded KRaft broker at {} in {} (no {} and no Docker)",
                embedded.bootstrapServers(), embedded.directory(), BOOTSTRAP_VARIABLE);
        return embedded.bootstrapServers(); // its shutdown hook stops it when the JVM exits
    }

    private static void requireReachable(String servers) {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000))) {
            admin.describeCluster().nodes().get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException(BOOTSTRAP_VARIABLE + "=" + servers + " is set, but no Kafka broker "
                    + "answered there within 15 s (" + e + "). Fix: start that broker, correct " + BOOTSTRAP_VARIABLE
                    + ", or unset it to use Docker or an embedded broker.", e);
        }
    }
}
