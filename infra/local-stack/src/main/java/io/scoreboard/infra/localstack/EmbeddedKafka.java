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
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka 3.9 broker in KRaft mode (one node, broker and controller), run as a child JVM on
 * this JVM's class path. Layout under {@code dir}: {@code data/} (the logs, kept across restarts),
 * {@code server.properties}, {@code broker.log}. The child exits by itself when this JVM dies
 * ({@link ParentWatchingMain}). Fault tests {@link #stop()} and {@link #restart()} it.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> BROKER_JVM_OPTIONS = List.of(
            "-Xms128m", "-Xmx512m", "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true");

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final DirectoryLock lock;
    private final Thread shutdownHook;
    private volatile Process process;
    private boolean closed;

    private EmbeddedKafka(Path dir, int port, int controllerPort, DirectoryLock lock) {
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.lock = lock;
        this.shutdownHook = new Thread(this::stopBroker, "embedded-kafka-shutdown-" + port);
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
        EmbeddedKafka kafka = new EmbeddedKafka(base, port, controllerPort, lock);
        try {
            Runtime.getRuntime().addShutdownHook(kafka.shutdownHook);
            kafka.formatOnce();
            kafka.launch();
            return kafka;
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public Path directory() {
        return dir;
    }

    public boolean isRunning() {
        Process broker = process;
        return broker != null && broker.isAlive();
    }

    /** The broker JVM's pid, -1 before the first start. */
    public long pid() {
        Process broker = process;
        return broker == null ? -1 : broker.pid();
    }

    /** The broker's exit code once it has ended (128 + n for signal n), -1 while it runs. */
    public int exitCode() {
        Process broker = process;
        return broker == null || broker.isAlive() ? -1 : broker.exitValue();
    }

    /** Controlled shutdown (SIGTERM); forced after 30 s. The data stays. */
    public synchronized void stop() {
        stopBroker();
    }

    /** Kills the broker without a controlled shutdown, as a crash would. The data stays. */
    public synchronized void kill() {
        if (isRunning()) {
            process.destroyForcibly();
            ChildProcesses.awaitExit(process, STOP_TIMEOUT);
        }
    }

    /** Starts the broker again on the same ports and data, stopping it first if it runs. */
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException("this embedded Kafka is closed");
        }
        stopBroker();
        launch();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        ChildProcesses.removeShutdownHook(shutdownHook);
        stopBroker();
        lock.close();
    }

    /** Not synchronized: the shutdown hook must not wait for a start that holds the monitor. */
    private void stopBroker() {
        Process broker = process;
        if (broker == null || !broker.isAlive()) {
            return;
        }
        broker.destroy(); // SIGTERM: Kafka's shutdown hook closes the logs cleanly
        if (!ChildProcesses.awaitExit(broker, STOP_TIMEOUT)) {
            log.warn("Kafka on port {} did not stop within {}; killing it", port, STOP_TIMEOUT);
            broker.destroyForcibly();
            ChildProcesses.awaitExit(broker, STOP_TIMEOUT);
        }
    }

    /** Formats into a scratch directory and renames it, so a half-formatted log dir never exists. */
    private void formatOnce() {
        Path data = dir.resolve("data");
        if (Files.exists(data.resolve("meta.properties"))) {
            return;
        }
        Path scratch = dir.resolve("data.format");
        Path config = dir.resolve("format.properties");
        try {
            PostgresBinaries.deleteRecursively(scratch);
            PostgresBinaries.deleteRecursively(data); // no meta.properties: nothing usable in it
            KafkaBrokerConfig.write(KafkaBrokerConfig.serverProperties(scratch, port, controllerPort), config);
            ChildProcesses.runLogged(childJvm(List.of("-Xmx256m"), "kafka.tools.StorageTool",
                    List.of("format", "--cluster-id", Uuid.randomUuid().toString(), "--config", config.toString())),
                    logFile(), Duration.ofMinutes(2));
            Files.move(scratch, data);
            Files.delete(config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot format the Kafka storage in " + data, e);
        }
    }

    private synchronized void launch() {
        long started = System.nanoTime();
        Ports.requireFree(port, "embedded Kafka port");
        Ports.requireFree(controllerPort, "embedded Kafka controller port");
        Path config = dir.resolve("server.properties");
        KafkaBrokerConfig.write(KafkaBrokerConfig.serverProperties(dir.resolve("data"), port, controllerPort), config);
        Path logging = dir.resolve("logback-broker.xml");
        KafkaBrokerConfig.writeLogging(logging);
        List<String> options = new ArrayList<>(BROKER_JVM_OPTIONS);
        options.add("-Dlogback.configurationFile=" + logging);
        try {
            process = new ProcessBuilder(childJvm(options, "kafka.Kafka", List.of(config.toString())))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Kafka broker JVM", e);
        }
        awaitReady();
        log.info("embedded Kafka on {} (data {}) ready in {} ms", bootstrapServers(), dir.resolve("data"),
                (System.nanoTime() - started) / 1_000_000);
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        // Wait for the port first: an admin client aimed at a closed port logs a warning per retry.
        while (!acceptsConnections()) {
            checkAliveAndInTime(deadline, null);
            sleep(Duration.ofMillis(100));
        }
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000))) {
            Exception last = null;
            while (true) {
                checkAliveAndInTime(deadline, last);
                try {
                    if (!admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for Kafka", e);
                } catch (Exception e) {
                    last = e;
                }
                sleep(Duration.ofMillis(200));
            }
        }
    }

    private void checkAliveAndInTime(long deadline, Exception last) {
        if (!process.isAlive()) {
            throw new IllegalStateException("the Kafka broker exited with code " + process.exitValue()
                    + " while starting. Log " + logFile() + " ends with:\n" + ChildProcesses.tail(logFile(), 40));
        }
        if (System.nanoTime() > deadline) {
            stopBroker();
            throw new IllegalStateException("the Kafka broker did not answer describeCluster on " + bootstrapServers()
                    + " within " + START_TIMEOUT + (last == null ? "" : " (last error: " + last + ")") + ". Log "
                    + logFile() + " ends with:\n" + ChildProcesses.tail(logFile(), 40));
        }
    }

    private boolean acceptsConnections() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
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

    /** Where the broker writes (appended across restarts). */
    public Path logFile() {
        return dir.resolve("broker.log");
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka", e);
        }
    }
}
