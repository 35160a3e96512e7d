package io.scoreboard.infra.localstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.Uuid;

/**
 * A real Kafka 3.9 broker in KRaft mode (one node, broker and controller), run as a child JVM on
 * this JVM's class path. Layout under {@code dir}: {@code data/} (the logs, kept across restarts),
 * {@code server.properties}, {@code broker.log}. The child exits by itself when this JVM dies
 * ({@link ParentWatchingMain}). Fault tests {@link #stop()} and {@link #restart()} it.
 * {@link EmbeddedKafkaCluster} runs several such nodes as one cluster.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final List<String> BROKER_JVM_OPTIONS = List.of(
            "-Xms128m", "-Xmx512m", "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true");

    private final KafkaNode node;
    private final DirectoryLock lock;
    private final Thread shutdownHook;
    private boolean closed;

    private EmbeddedKafka(KafkaNode node, DirectoryLock lock) {
        this.node = node;
        this.lock = lock;
        this.shutdownHook = new Thread(node::stop, "embedded-kafka-shutdown-" + node.port());
    }

    /**
     * Starts the broker (formatting its storage on first use) and returns once it answers.
     *
     * @throws DirectoryInUseException when another running broker uses {@code dir}
     * @throws Ports.PortInUseException when a port is taken
     */
    public static EmbeddedKafka start(Path dir, int port, int controllerPort) {
        if (port == controllerPort) {
            throw new IllegalArgumentException("the embedded Kafka port and controller port must differ (both "
                    + port + ")");
        }
        Path base = dir.toAbsolutePath().normalize();
        DirectoryLock lock = DirectoryLock.acquire(base, "embedded Kafka");
        KafkaNode node = new KafkaNode(base, 0, List.of(new KafkaNodePorts(port, controllerPort)), BROKER_JVM_OPTIONS,
                "the Kafka broker", "embedded Kafka");
        EmbeddedKafka kafka = new EmbeddedKafka(node, lock);
        try {
            Runtime.getRuntime().addShutdownHook(kafka.shutdownHook);
            node.formatOnce(Uuid.randomUuid().toString());
            kafka.launch();
            return kafka;
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    public String bootstrapServers() {
        return node.bootstrapServers();
    }

    public int port() {
        return node.port();
    }

    public int controllerPort() {
        return node.controllerPort();
    }

    public Path directory() {
        return node.directory();
    }

    public boolean isRunning() {
        return node.isRunning();
    }

    /** The broker JVM's pid, -1 before the first start. */
    public long pid() {
        return node.pid();
    }

    /** The broker's exit code once it has ended (128 + n for signal n), -1 while it runs. */
    public int exitCode() {
        return node.exitCode();
    }

    /** Controlled shutdown (SIGTERM); forced after 30 s. The data stays. */
    public synchronized void stop() {
        node.stop();
    }

    /** Kills the broker without a controlled shutdown, as a crash would. The data stays. */
    public synchronized void kill() {
        node.kill();
    }

    /** Starts the broker again on the same ports and data, stopping it first if it runs. */
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException("this embedded Kafka is closed");
        }
        node.stop();
        launch();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        ChildProcesses.removeShutdownHook(shutdownHook);
        node.stop();
        lock.close();
    }

    private synchronized void launch() {
        node.launch();
        node.awaitReady(START_TIMEOUT);
    }

    /** Where the broker writes (appended across restarts). */
    public Path logFile() {
        return node.logFile();
    }
}
