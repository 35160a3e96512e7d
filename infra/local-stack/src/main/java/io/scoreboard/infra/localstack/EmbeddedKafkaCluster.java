package io.scoreboard.infra.localstack;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.common.Uuid;

/**
 * A real Kafka 3.9 cluster of N KRaft nodes (default 3), each a child JVM in combined mode — broker and
 * controller in one process, all N voters of one controller quorum (docs/adr/0036). Topics get N
 * replicas and need min(2, N) in sync; unclean leader election is off, so an acknowledged write is lost
 * only if every in-sync replica is.
 *
 * <p>Layout under {@code dir}: {@code cluster.properties} (the cluster id and size, written once), and per
 * node {@code node-<id>/} with {@code data/} (kept across restarts), {@code server.properties} and
 * {@code broker.log}. Nodes are addressed by a 0-based index; node {@code i} has node.id {@code i + 1}.
 * Fault tests {@link #kill}, {@link #stop} and {@link #restart} single nodes.
 */
public final class EmbeddedKafkaCluster implements AutoCloseable {

    public static final int DEFAULT_NODES = 3;
    /** Three JVMs starting at once on two cores take a while; a majority must run before any answers. */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    /** Small heaps: three nodes share the machine with the services (and their brokers are lightly loaded). */
    private static final List<String> NODE_JVM_OPTIONS = List.of("-Xms64m", "-Xmx256m", "-XX:+UseSerialGC",
            "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true");

    private final Path dir;
    private final List<KafkaNode> nodes;
    private final DirectoryLock lock;
    private final Thread shutdownHook;
    private volatile boolean closed;

    private EmbeddedKafkaCluster(Path dir, List<KafkaNode> nodes, DirectoryLock lock) {
        this.dir = dir;
        this.nodes = nodes;
        this.lock = lock;
        this.shutdownHook = new Thread(this::stopAll, "embedded-kafka-cluster-shutdown-" + nodes.get(0).port());
    }

    /** {@value #DEFAULT_NODES} nodes on consecutive ports from {@code firstPort} ({@link KafkaNodePorts#consecutive}). */
    public static EmbeddedKafkaCluster start(Path dir, int firstPort) {
        return start(dir, KafkaNodePorts.consecutive(DEFAULT_NODES, firstPort));
    }

    /**
     * Starts one node per entry of {@code ports} (formatting the storage of each on first use, all with one
     * cluster id) and returns once every node answers. All nodes are started before any is waited for: a
     * node answers only once a majority of the quorum runs.
     *
     * @throws DirectoryInUseException when another running cluster uses {@code dir}
     * @throws Ports.PortInUseException when a port is taken
     * @throws IllegalStateException    when {@code dir} holds a cluster of another size
     */
    public static EmbeddedKafkaCluster start(Path dir, List<KafkaNodePorts> ports) {
        requireDistinct(ports);
        Path base = dir.toAbsolutePath().normalize();
        DirectoryLock lock = DirectoryLock.acquire(base, "embedded Kafka cluster");
        List<KafkaNode> nodes = new ArrayList<>();
        for (int i = 0; i < ports.size(); i++) {
            int nodeId = KafkaBrokerConfig.nodeId(i);
            nodes.add(new KafkaNode(base.resolve("node-" + nodeId), i, ports, NODE_JVM_OPTIONS, "Kafka node " + nodeId,
                    "embedded Kafka node " + nodeId));
        }
        EmbeddedKafkaCluster cluster = new EmbeddedKafkaCluster(base, List.copyOf(nodes), lock);
        try {
            Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
            String clusterId = clusterId(base, ports.size());
            inParallel(nodes, node -> node.formatOnce(clusterId));
            nodes.forEach(KafkaNode::launch);
            nodes.forEach(node -> node.awaitReady(START_TIMEOUT));
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** How many nodes the cluster has, running or not. */
    public int size() {
        return nodes.size();
    }

    /** Every node's address, for clients: they find the running ones. */
    public String bootstrapServers() {
        return nodes.stream().map(KafkaNode::bootstrapServers).collect(Collectors.joining(","));
    }

    /** The address of node {@code index} alone. */
    public String bootstrapServers(int index) {
        return node(index).bootstrapServers();
    }

    /** The node.id Kafka knows node {@code index} by (in metadata, logs and partition leaders). */
    public int nodeId(int index) {
        node(index);
        return KafkaBrokerConfig.nodeId(index);
    }

    /** The index of the node with {@code nodeId}, -1 when there is none. */
    public int indexOf(int nodeId) {
        int index = KafkaBrokerConfig.index(nodeId);
        return index >= 0 && index < nodes.size() ? index : -1;
    }

    public int port(int index) {
        return node(index).port();
    }

    public int controllerPort(int index) {
        return node(index).controllerPort();
    }

    public Path directory() {
        return dir;
    }

    /** Where node {@code index} writes (appended across restarts). */
    public Path logFile(int index) {
        return node(index).logFile();
    }

    public boolean isRunning(int index) {
        return node(index).isRunning();
    }

    /** The node's JVM pid, -1 before its first start. */
    public long pid(int index) {
        return node(index).pid();
    }

    /** The node's exit code once it has ended (128 + n for signal n), -1 while it runs. */
    public int exitCode(int index) {
        return node(index).exitCode();
    }

    /** Kills the node without a controlled shutdown (SIGKILL), as a crash would. Its data stays. */
    public void kill(int index) {
        KafkaNode node = node(index);
        synchronized (node) {
            node.kill();
        }
    }

    /** Controlled shutdown (SIGTERM): its partitions move to other nodes first; forced after 30 s. Its data stays. */
    public void stop(int index) {
        KafkaNode node = node(index);
        synchronized (node) {
            node.stop();
        }
    }

    /**
     * Starts the node again on the same ports and data (stopping it first if it runs) and returns once it
     * answers — which needs a majority of the quorum, counting this node, to run.
     */
    public void restart(int index) {
        KafkaNode node = node(index);
        synchronized (node) {
            if (closed) {
                throw new IllegalStateException("this embedded Kafka cluster is closed");
            }
            node.stop();
            node.launch();
        }
        // Outside the lock: close() must be able to stop a node that hangs while starting.
        node.awaitReady(START_TIMEOUT);
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        ChildProcesses.removeShutdownHook(shutdownHook);
        for (KafkaNode node : nodes) {
            synchronized (node) { // no restart launches a node after this
                node.signalStop();
            }
        }
        nodes.forEach(KafkaNode::awaitStopped);
        lock.close();
    }

    /** All nodes at once: one by one, the last ones could not reach a quorum for their controlled shutdown. */
    private void stopAll() {
        nodes.forEach(KafkaNode::signalStop);
        nodes.forEach(KafkaNode::awaitStopped);
    }

    private KafkaNode node(int index) {
        if (index < 0 || index >= nodes.size()) {
            throw new IndexOutOfBoundsException("no Kafka node " + index + ": the cluster has nodes 0 to "
                    + (nodes.size() - 1));
        }
        return nodes.get(index);
    }

    /**
     * The cluster id every node is formatted with, recorded on first start beside the nodes. A directory
     * of another size is refused: its quorum was formed by other voters.
     */
    private static String clusterId(Path dir, int size) {
        Path file = dir.resolve("cluster.properties");
        Properties cluster = new Properties();
        try {
            if (Files.exists(file)) {
                try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    cluster.load(in);
                }
                String recordedSize = cluster.getProperty("nodes", "?");
                if (!recordedSize.equals(Integer.toString(size))) {
                    throw new IllegalStateException("the Kafka cluster in " + dir + " has " + recordedSize
                            + " nodes, not " + size + ". Fix: start it with " + recordedSize + " nodes, or delete "
                            + dir + " (its topics are lost) to make a new cluster.");
                }
                return cluster.getProperty("cluster.id");
            }
            cluster.setProperty("cluster.id", Uuid.randomUuid().toString());
            cluster.setProperty("nodes", Integer.toString(size));
            Path scratch = dir.resolve("cluster.properties.tmp");
            try (Writer out = Files.newBufferedWriter(scratch, StandardCharsets.UTF_8)) {
                cluster.store(out, "written once by EmbeddedKafkaCluster; every node is formatted with this id");
            }
            Files.move(scratch, file, StandardCopyOption.ATOMIC_MOVE);
            return cluster.getProperty("cluster.id");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
    }

    private static void requireDistinct(List<KafkaNodePorts> ports) {
        if (ports.isEmpty()) {
            throw new IllegalArgumentException("a Kafka cluster needs at least one node");
        }
        Set<Integer> seen = new HashSet<>();
        for (KafkaNodePorts node : ports) {
            if (!seen.add(node.port()) || !seen.add(node.controllerPort())) {
                throw new IllegalArgumentException("the Kafka nodes' ports must all differ: " + ports);
            }
        }
    }

    /** Formatting runs a JVM per node; side by side they take the time of one. */
    private static void inParallel(List<KafkaNode> nodes, Consumer<KafkaNode> task) {
        ExecutorService threads = Executors.newFixedThreadPool(nodes.size());
        try {
            CompletableFuture.allOf(nodes.stream()
                    .map(node -> CompletableFuture.runAsync(() -> task.accept(node), threads))
                    .toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        } finally {
            threads.shutdown();
        }
    }
}
