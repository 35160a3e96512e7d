package io.scoreboard.testsupport;

import io.scoreboard.infra.localstack.EmbeddedKafkaCluster;
import io.scoreboard.infra.localstack.KafkaNodePorts;
import io.scoreboard.infra.localstack.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka cluster of its own for one test class: {@code brokers} real KRaft nodes
 * ({@link EmbeddedKafkaCluster}, each broker and controller) on free ports, under a new directory in
 * the module's {@code target/}. Brokers are addressed by a 0-based index; a killed broker keeps its
 * data and comes back on the same ports. {@link #close()} stops every broker and deletes their data
 * (their logs stay in {@code target/kafka-cluster-<id>/node-<n>/broker.log}).
 */
public final class TestKafkaCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TestKafkaCluster.class);
    private static final int PORT_ATTEMPTS = 3;
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final EmbeddedKafkaCluster cluster;
    private final Admin admin;

    private TestKafkaCluster(EmbeddedKafkaCluster cluster) {
        this.cluster = cluster;
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis()));
    }

    /** Starts {@code brokers} brokers and returns once every one answers. */
    public static TestKafkaCluster start(int brokers) {
        if (brokers < 1) {
            throw new IllegalArgumentException("a test Kafka cluster needs at least one broker, not " + brokers);
        }
        Path target = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).resolve("target");
        Path dir = target.resolve("kafka-cluster-" + UUID.randomUUID().toString().substring(0, 8));
        for (int attempt = 1; ; attempt++) {
            try {
                EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start(dir, freePorts(brokers));
                log.info("test Kafka cluster: {} brokers at {} in {}", brokers, cluster.bootstrapServers(), dir);
                return new TestKafkaCluster(cluster);
            } catch (Ports.PortInUseException e) {
                // A free port we picked was taken before a broker bound it: pick again.
                if (attempt == PORT_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    public int size() {
        return cluster.size();
    }

    /** SIGKILL, as a crash would: no controlled shutdown, its partitions' leadership moves only once the controller notices. */
    public void kill(int broker) {
        cluster.kill(broker);
    }

    /** Starts the broker again on its ports and data; returns once it answers (a majority of brokers must then run). */
    public void restart(int broker) {
        cluster.restart(broker);
    }

    public boolean isRunning(int broker) {
        return cluster.isRunning(broker);
    }

    /** The index of the partition's current leader as the running brokers know it, -1 when it has none. */
    public int leaderOf(String topic, int partition) {
        TopicPartitionInfo info = describe(topic).partitions().stream().filter(p -> p.partition() == partition)
                .findFirst().orElseThrow(() -> new IllegalArgumentException("topic " + topic + " has no partition "
                        + partition));
        Node leader = info.leader();
        return leader == null || leader.isEmpty() ? -1 : cluster.indexOf(leader.id());
    }

    /**
     * Creates a topic as production has it: a replica on every broker, min.insync.replicas min(2, size()),
     * infinite retention, delete cleanup. Returns once every partition has a leader.
     */
    public void createTopic(String name, int partitions) {
        NewTopic topic = new NewTopic(name, partitions, (short) size()).configs(Map.of(
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(Math.min(2, size())),
                TopicConfig.RETENTION_MS_CONFIG, "-1",
                TopicConfig.RETENTION_BYTES_CONFIG, "-1",
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE));
        await(() -> admin.createTopics(List.of(topic)).all().get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS),
                "create topic " + name);
        long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
        while (true) {
            try {
                TopicDescription description = describe(name);
                if (description.partitions().size() == partitions
                        && description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                    return;
                }
            } catch (IllegalStateException notYetKnown) {
                // the brokers learn about the topic a moment after the controller created it
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topic " + name + " has partitions without a leader after "
                        + ADMIN_TIMEOUT.toSeconds() + " s");
            }
            sleep(100);
        }
    }

    /** Stops every broker and deletes their data; their logs and settings stay for a look after a failure. */
    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
        cluster.close();
        try (Stream<Path> nodes = Files.list(cluster.directory())) {
            for (Path node : nodes.filter(Files::isDirectory).toList()) {
                deleteRecursively(node.resolve("data"));
            }
        } catch (IOException e) {
            log.warn("cannot delete the data of the test Kafka cluster in {}: {}", cluster.directory(), e.toString());
        }
    }

    private TopicDescription describe(String topic) {
        return await(() -> admin.describeTopics(List.of(topic)).allTopicNames()
                .get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS).get(topic), "describe topic " + topic);
    }

    /** 2 × brokers ports that are free now and all differ. */
    private static List<KafkaNodePorts> freePorts(int brokers) {
        Set<Integer> taken = new HashSet<>();
        List<Integer> ports = new ArrayList<>();
        while (ports.size() < 2 * brokers) {
            int port = Ports.findFree();
            if (taken.add(port)) {
                ports.add(port);
            }
        }
        List<KafkaNodePorts> nodes = new ArrayList<>();
        for (int i = 0; i < brokers; i++) {
            nodes.add(new KafkaNodePorts(ports.get(2 * i), ports.get(2 * i + 1)));
        }
        return nodes;
    }

    private interface AdminCall<T> {
        T call() throws InterruptedException, ExecutionException, TimeoutException;
    }

    private static <T> T await(AdminCall<T> call, String what) {
        try {
            return call.call();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + what, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot " + what + ": " + (e.getCause() == null ? e : e.getCause()), e);
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
