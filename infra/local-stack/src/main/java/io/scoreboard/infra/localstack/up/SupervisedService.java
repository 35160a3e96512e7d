package io.scoreboard.infra.localstack.up;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One of our services under the stack's supervisor: started with its heap as a setting, exiting on
 * OutOfMemoryError (an exit the supervisor sees, not a zombie) after writing a heap dump, of which at
 * most one per service is kept (the newest), so repeated crashes do not fill the disk.
 */
final class SupervisedService implements SupervisedChild {

    private final String name;
    private final Path jar;
    private final List<String> jvmOptions;
    private final List<String> args;
    private final Map<String, String> environment;
    private final Path logFile;
    private final URI healthUrl;
    private final Duration startTimeout;
    private final Path heapDumps;
    private final String heapHint;
    private ServiceProcess current;
    private boolean closed;

    private SupervisedService(String name, Path jar, String heap, String heapSetting, List<String> args,
                              Map<String, String> environment, Path logFile, URI healthUrl, Duration startTimeout) {
        this.name = name;
        this.jar = jar;
        this.heapDumps = logFile.toAbsolutePath().getParent().resolve("heap-dumps").resolve(name);
        this.jvmOptions = jvmOptions(heap, heapDumps);
        this.args = args;
        this.environment = environment;
        this.logFile = logFile;
        this.healthUrl = healthUrl;
        this.startTimeout = startTimeout;
        this.heapHint = "heap -Xmx" + heap + " (" + heapSetting + ")";
    }

    /**
     * Starts the service (a fresh log) and returns once it is healthy.
     *
     * @param heapSetting the setting that gave {@code heap}, named when the service runs out of it
     * @throws ServiceProcess.ServiceStartException when it does not come up
     */
    static SupervisedService start(String name, Path jar, String heap, String heapSetting, List<String> args,
                                   Map<String, String> environment, Path logFile, URI healthUrl,
                                   Duration startTimeout) {
        SupervisedService service = new SupervisedService(name, jar, heap, heapSetting, args, environment, logFile,
                healthUrl, startTimeout);
        service.keepNewestHeapDump();
        service.launchAndAwaitHealthy(false);
        return service;
    }

    /** -Xmx, and an OutOfMemoryError ends the JVM after dumping its heap into {@code heapDumps}. */
    static List<String> jvmOptions(String heap, Path heapDumps) {
        return List.of("-Xmx" + heap, "-XX:+ExitOnOutOfMemoryError", "-XX:+HeapDumpOnOutOfMemoryError",
                "-XX:HeapDumpPath=" + heapDumps);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized long pid() {
        return current == null ? -1 : current.pid();
    }

    @Override
    public synchronized boolean isAlive() {
        return current != null && current.isAlive();
    }

    @Override
    public synchronized int exitCode() {
        return current == null ? -1 : current.exitCode();
    }

    @Override
    public Path logFile() {
        return logFile;
    }

    @Override
    public void restart(int restart) {
        launchAndAwaitHealthy(true);
    }

    @Override
    public String exitHints(int exitCode, String logTail, Instant runStarted) {
        Optional<Path> dump = keepNewestHeapDump().filter(d -> modified(d).isAfter(runStarted));
        if (dump.isEmpty() && !logTail.contains("OutOfMemoryError")) {
            return "";
        }
        return heapHint + dump.map(d -> "; heap dump: " + d + " (only the newest is kept)").orElse("");
    }

    /** Stops the current process, also one that is still starting; nothing is started after this. */
    @Override
    public void close() {
        ServiceProcess process;
        synchronized (this) {
            closed = true;
            process = current;
        }
        if (process != null) {
            process.close();
        }
    }

    private void launchAndAwaitHealthy(boolean appendToLog) {
        ServiceProcess process;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException(name + " is being stopped");
            }
            try {
                Files.createDirectories(heapDumps);
            } catch (IOException e) {
                throw new ServiceProcess.ServiceStartException(name + ": cannot create " + heapDumps + ": " + e);
            }
            process = ServiceProcess.launch(name, jar, jvmOptions, args, environment, logFile, appendToLog);
            current = process;
        }
        // Outside the lock: close() must be able to stop a service that hangs while starting.
        process.awaitHealthy(healthUrl, startTimeout);
    }

    /** Deletes every heap dump of this service but the newest, and returns that one. */
    private Optional<Path> keepNewestHeapDump() {
        if (!Files.isDirectory(heapDumps)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(heapDumps)) {
            List<Path> dumps = files.filter(f -> f.getFileName().toString().endsWith(".hprof"))
                    .sorted(Comparator.comparing(SupervisedService::modified).reversed()).toList();
            for (Path old : dumps.subList(Math.min(1, dumps.size()), dumps.size())) {
                Files.deleteIfExists(old);
            }
            return dumps.stream().findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Instant modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            return FileTime.fromMillis(0).toInstant();
        }
    }
}
