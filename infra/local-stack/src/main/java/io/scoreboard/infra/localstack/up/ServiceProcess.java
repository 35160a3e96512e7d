package io.scoreboard.infra.localstack.up;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One of our Spring Boot services running as a separate OS process (the way it runs in
 * production), with its output in a log file. Used by the local stack and by the system tests.
 */
public final class ServiceProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path logFile;

    private ServiceProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    /**
     * Starts {@code java -jar jar args…} and returns once {@code healthUrl} answers 200.
     *
     * @throws ServiceStartException when the process exits or is not healthy within the timeout;
     *                               the message carries the end of its log
     */
    public static ServiceProcess start(String name, Path jar, List<String> jvmOptions, List<String> args,
                                       Map<String, String> environment, Path logFile, URI healthUrl,
                                       Duration timeout) {
        ServiceProcess service = launch(name, jar, jvmOptions, args, environment, logFile);
        service.awaitHealthy(healthUrl, timeout);
        return service;
    }

    /** Starts the process without waiting: for services that are expected to refuse to start. */
    public static ServiceProcess launch(String name, Path jar, List<String> jvmOptions, List<String> args,
                                        Map<String, String> environment, Path logFile) {
        return launch(name, jar, jvmOptions, args, environment, logFile, false);
    }

    /**
     * Starts the process without waiting for it to be healthy (see {@link #awaitHealthy}).
     *
     * @param appendToLog true when restarting: the log keeps what the previous run wrote, e.g. why it died
     */
    public static ServiceProcess launch(String name, Path jar, List<String> jvmOptions, List<String> args,
                                        Map<String, String> environment, Path logFile, boolean appendToLog) {
        if (!Files.isRegularFile(jar)) {
            throw new ServiceStartException(name + ": " + jar + " does not exist. Fix: build it first with "
                    + "./mvnw -DskipTests package (./scoreboard up does this for you).");
        }
        return launch(name, List.of("-jar", jar.toString()), jvmOptions, args, environment, logFile, appendToLog);
    }

    /**
     * Starts {@code java -cp classPath mainClass args…} and returns once {@code healthUrl} answers 200: for a
     * program that is not a service's jar (the benchmark's CRUD reference).
     */
    public static ServiceProcess startMain(String name, String classPath, String mainClass, List<String> jvmOptions,
                                           List<String> args, Path logFile, URI healthUrl, Duration timeout) {
        ServiceProcess service = launch(name, List.of("-cp", classPath, mainClass), jvmOptions, args, Map.of(),
                logFile, false);
        service.awaitHealthy(healthUrl, timeout);
        return service;
    }

    private static ServiceProcess launch(String name, List<String> program, List<String> jvmOptions, List<String> args,
                                         Map<String, String> environment, Path logFile, boolean appendToLog) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(program);
        command.addAll(args);
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(appendToLog ? ProcessBuilder.Redirect.appendTo(logFile.toFile())
                            : ProcessBuilder.Redirect.to(logFile.toFile()));
            builder.environment().put("AXONIQ_UPDATE_CHECKER_DISABLED", "true");
            builder.environment().putAll(environment);
            return new ServiceProcess(name, builder.start(), logFile);
        } catch (IOException e) {
            throw new ServiceStartException(name + ": cannot start " + command + ": " + e.getMessage());
        }
    }

    /**
     * Returns once {@code healthUrl} answers 200.
     *
     * @throws ServiceStartException when the process exits first, or is not healthy within the timeout
     *                               (it is then stopped); the message carries the end of its log
     */
    public void awaitHealthy(URI healthUrl, Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new ServiceStartException(name + " exited with code " + process.exitValue()
                        + " during start-up. Its log (" + logFile + ") ends with:\n" + logTail(40));
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(healthUrl)
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new ServiceStartException(name + ": interrupted while starting");
            }
            sleep(250);
        }
        close();
        throw new ServiceStartException(name + " was not healthy at " + healthUrl + " within " + timeout.toSeconds()
                + " s. Its log (" + logFile + ") ends with:\n" + logTail(40));
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code once the process has ended (128 + n when signal n ended it), -1 while it runs. */
    public int exitCode() {
        return process.isAlive() ? -1 : process.exitValue();
    }

    public Path logFile() {
        return logFile;
    }

    /** Waits for the process to end by itself; returns its exit code, or -1 if still running. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    /** SIGKILL, as a crash would: no shutdown hooks, no graceful anything. */
    public void kill() {
        process.destroyForcibly();
        waitQuietly(Duration.ofSeconds(10));
    }

    /** SIGTERM, then SIGKILL after 20 s. Its own children go with it. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!waitQuietly(Duration.ofSeconds(20))) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            waitQuietly(Duration.ofSeconds(10));
        }
    }

    public String logTail(int lines) {
        List<String> all = log().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    public String log() {
        try {
            // Lenient decoding: a log must stay readable even with a stray byte in it.
            return new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log at " + logFile + ": " + e.getMessage() + ")";
        }
    }

    private boolean waitQuietly(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A service did not come up; the message says why and shows its log. */
    public static final class ServiceStartException extends RuntimeException {
        public ServiceStartException(String message) {
            super(message);
        }
    }
}
