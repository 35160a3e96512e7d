package io.scoreboard.infra.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Kafka 3.9 KRaft node (broker and controller in one process) as a child JVM on this JVM's class
 * path: the part {@link EmbeddedKafka} runs once and {@link EmbeddedKafkaCluster} once per node.
 * Layout under {@code dir}: {@code data/} (the logs, kept across restarts), {@code server.properties},
 * {@code broker.log}. The child exits by itself when this JVM dies ({@link ParentWatchingMain}).
 * Not thread-safe: its owner serializes starts and stops; {@link #stop()} may run in a shutdown hook.
 */
final class KafkaNode {

    private static final Logger log = LoggerFactory.getLogger(KafkaNode.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Path dir;
    private final int index;
    private final List<KafkaNodePorts> nodes;
    private final List<String> jvmOptions;
    private final String name;
    private final String portSetting;
    private volatile Process process;
    private long launchedAt;

    /**
     * @param name        how messages call it ("the Kafka broker", "Kafka node 2")
     * @param portSetting how port errors call its ports ("embedded Kafka" gives "embedded Kafka port")
     */
    KafkaNode(Path dir, int index, List<KafkaNodePorts> nodes, List<String> jvmOptions, String name,
              String portSetting) {
        this.dir = dir;
        this.index = index;
        this.nodes = List.copyOf(nodes);
        this.jvmOptions = List.copyOf(jvmOptions);
        this.name = name;
        this.portSetting = portSetting;
    }

    int nodeId() {
        return KafkaBrokerConfig.nodeId(index);
    }

    int port() {
        return nodes.get(index).port();
    }

    int controllerPort() {
        return nodes.get(index).controllerPort();
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port();
    }

    Path directory() {
        return dir;
    }

    /** Where the node writes (appended across restarts). */
    Path logFile() {
        return dir.resolve("broker.log");
    }

    boolean isRunning() {
        Process node = process;
        return node != null && node.isAlive();
    }

    long pid() {
        Process node = process;
        return node == null ? -1 : node.pid();
    }

    int exitCode() {
        Process node = process;
        return node == null || node.isAlive() ? -1 : node.exitValue();
    }

    boolean isFormatted() {
        return Files.exists(dir.resolve("data").resolve("meta.properties"));
    }

    /**
     * Formats the storage for {@code clusterId} unless it already is. Into a scratch directory that is
     * then renamed, so a half-formatted log dir never exists.
     */
    void formatOnce(String clusterId) {
        Path data = dir.resolve("data");
        if (isFormatted()) {
            return;
        }
        Path scratch = dir.resolve("data.format");
        Path config = dir.resolve("format.properties");
        try {
            Files.createDirectories(dir);
            PostgresBinaries.deleteRecursively(scratch);
            PostgresBinaries.deleteRecursively(data); // no meta.properties: nothing usable in it
            KafkaBrokerConfig.write(KafkaBrokerConfig.serverProperties(scratch, index, nodes), config);
            ChildProcesses.runLogged(childJvm(List.of("-Xmx256m"), "kafka.tools.StorageTool",
                    List.of("format", "--cluster-id", clusterId, "--config", config.toString())),
                    logFile(), Duration.ofMinutes(2));
            Files.move(scratch, data);
            Files.delete(config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot format the Kafka storage in " + data, e);
        }
    }

    /** Starts the JVM without waiting for it: the nodes of a cluster can only answer once a majority runs. */
    void launch() {
        Ports.requireFree(port(), portSetting + " port");
        Ports.requireFree(controllerPort(), portSetting + " controller port");
        Path config = dir.resolve("server.properties");
        KafkaBrokerConfig.write(KafkaBrokerConfig.serverProperties(dir.resolve("data"), index, nodes), config);
        Path logging = dir.resolve("logback-broker.xml");
        KafkaBrokerConfig.writeLogging(logging);
        List<String> options = new ArrayList<>(jvmOptions);
        options.add("-Dlogback.configurationFile=" + logging);
        launchedAt = System.nanoTime();
        try {
            process = new ProcessBuilder(childJvm(options, "kafka.Kafka", List.of(config.toString())))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the JVM of " + name, e);
        }
    }

    /**
     * Returns once this node answers describeCluster and counts itself among the cluster's live brokers
     * (it has caught up with the metadata, so a quorum is there). Stops it and fails, with the log's tail,
     * when it exits or the timeout passes.
     */
    void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        // Wait for the port first: an admin client aimed at a closed port logs a warning per retry.
        while (!acceptsConnections()) {
            checkAliveAndInTime(deadline, timeout, null);
            sleep(Duration.ofMillis(100));
        }
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000))) {
            Exception last = null;
            while (true) {
                checkAliveAndInTime(deadline, timeout, last);
                try {
                    if (admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).stream()
                            .map(Node::id).anyMatch(id -> id == nodeId())) {
                        log.info("{} on {} (data {}) ready in {} ms", name, bootstrapServers(), dir.resolve("data"),
                                (System.nanoTime() - launchedAt) / 1_000_000);
                        return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for " + name, e);
                } catch (Exception e) {
                    last = e;
                }
                sleep(Duration.ofMillis(200));
            }
        }
    }

    /** Controlled shutdown (SIGTERM); forced after 30 s. The data stays. Safe from a shutdown hook. */
    void stop() {
        Process node = process;
        if (node == null || !node.isAlive()) {
            return;
        }
        node.destroy(); // SIGTERM: Kafka's shutdown hook closes the logs cleanly
        awaitStopped();
    }

    /** Sends SIGTERM without waiting: a cluster stops its nodes together ({@link #awaitStopped()}). */
    void signalStop() {
        Process node = process;
        if (node != null && node.isAlive()) {
            node.destroy();
        }
    }

    /** Waits for a stop that was signalled; kills the node after 30 s. */
    void awaitStopped() {
        Process node = process;
        if (node == null) {
            return;
        }
        if (!ChildProcesses.awaitExit(node, STOP_TIMEOUT)) {
            log.warn("{} on port {} did not stop within {}; killing it", name, port(), STOP_TIMEOUT);
            node.destroyForcibly();
            ChildProcesses.awaitExit(node, STOP_TIMEOUT);
        }
    }

    /** Kills the node without a controlled shutdown (SIGKILL), as a crash would. The data stays. */
    void kill() {
        Process node = process;
        if (node != null && node.isAlive()) {
            node.destroyForcibly();
            ChildProcesses.awaitExit(node, STOP_TIMEOUT);
        }
    }

    private void checkAliveAndInTime(long deadline, Duration timeout, Exception last) {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with code " + process.exitValue()
                    + " while starting. Log " + logFile() + " ends with:\n" + ChildProcesses.tail(logFile(), 40));
        }
        if (System.nanoTime() > deadline) {
            stop();
            throw new IllegalStateException(name + " did not answer describeCluster on " + bootstrapServers()
                    + " within " + timeout + (last == null ? "" : " (last error: " + last + ")") + ". Log "
                    + logFile() + " ends with:\n" + ChildProcesses.tail(logFile(), 40));
        }
    }

    private boolean acceptsConnections() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port()), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A JVM on this JVM's class path (under surefire a manifest-only jar, which -cp accepts too). */
    private static List<String> childJvm(List<String> jvmOptions, String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ParentWatchingMain.class.getName());
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    private void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
    }
}
