package io.scoreboard.infra.localstack;

import io.scoreboard.infra.database.PostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL 17 server that this JVM starts and stops, from the installation a
 * {@link PostgresInstallation} gives under {@code baseDir/binaries}; data lives in {@code baseDir/data}
 * and survives restarts, the server log is {@code baseDir/postgres.log}. It listens on 127.0.0.1 only,
 * without a Unix socket. The superuser is {@code postgres}; every TCP login needs its password (scram), so a wrong
 * role password fails here as it would in production.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    public static final String SUPERUSER = "postgres";
    /** Known to everyone on purpose: the server is reachable from this machine only. */
    public static final String SUPERUSER_PASSWORD = "postgres";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgres.class);
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2); // crash recovery after a hard kill
    private static final Duration STOP_TIMEOUT = Duration.ofMinutes(1);

    private final int port;
    private final PostgresInstallation installation;
    private final Path dataDir;
    private final Path logFile;
    private final Process process;
    private final Process watchdog;
    private final DirectoryLock lock;
    private final Thread shutdownHook;
    private boolean closed;

    private EmbeddedPostgres(int port, PostgresInstallation installation, Path dataDir, Path logFile, Process process,
                             DirectoryLock lock) {
        this.port = port;
        this.installation = installation;
        this.dataDir = dataDir;
        this.logFile = logFile;
        this.process = process;
        this.lock = lock;
        this.watchdog = ChildProcesses.signalWhenThisJvmDies(process.pid(), "INT", dataDir.toString());
        this.shutdownHook = new Thread(this::stopServer, "embedded-postgres-shutdown-" + port);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts the server and returns once it accepts connections.
     *
     * @throws DirectoryInUseException when another running server uses {@code baseDir}
     * @throws Ports.PortInUseException when {@code port} is taken
     */
    public static EmbeddedPostgres start(Path baseDir, int port, PostgresInstallation installation) {
        long started = System.nanoTime();
        Path base = baseDir.toAbsolutePath().normalize();
        DirectoryLock lock = DirectoryLock.acquire(base, "embedded PostgreSQL");
        try {
            Path dataDir = base.resolve("data");
            Path logFile = base.resolve("postgres.log");
            // Holding the lock, a postmaster still running on our data is an orphan of a dead JVM.
            StalePostmaster.clear(dataDir);
            Ports.requireFree(port, "embedded PostgreSQL port");
            UnprivilegedExecution runAs = UnprivilegedExecution.detect();
            Path install = installation.under(base.resolve("binaries"));
            runAs.requireReachable(install);
            if (!Files.exists(dataDir.resolve("PG_VERSION"))) {
                initialise(runAs, install, base, dataDir, logFile);
            }
            runAs.takeOwnership(dataDir);
            Process process = launch(runAs, install, dataDir, logFile, port);
            EmbeddedPostgres server = new EmbeddedPostgres(port, installation, dataDir, logFile, process, lock);
            server.awaitReady();
            log.info("embedded PostgreSQL on 127.0.0.1:{} (data {}, run as {}) ready in {} ms",
                    port, dataDir, runAs, (System.nanoTime() - started) / 1_000_000);
            return server;
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    public PostgresServer server() {
        return new PostgresServer("127.0.0.1", port, SUPERUSER, SUPERUSER_PASSWORD);
    }

    public int port() {
        return port;
    }

    public Path dataDirectory() {
        return dataDir;
    }

    /** Where the server writes (appended across starts). */
    public Path logFile() {
        return logFile;
    }

    /** The postmaster's pid. */
    public long pid() {
        return process.pid();
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** The postmaster's exit code once it has ended (128 + n for signal n), -1 while it runs. */
    public int exitCode() {
        return process.isAlive() ? -1 : process.exitValue();
    }

    /**
     * A new server on the same directory and port after this one died (a crash, a kill); returns once it
     * accepts connections, i.e. after its WAL recovery. It waits first until no process of the dead server
     * is attached to its shared memory any more: a postmaster started beside them could damage the data,
     * and PostgreSQL's own check for that cannot run here (see {@link StalePostmaster}).
     */
    public EmbeddedPostgres startAgain(Duration waitForOldProcesses) {
        if (isRunning()) {
            throw new IllegalStateException("PostgreSQL on port " + port + " is still running (pid " + pid() + ")");
        }
        awaitOldProcessesGone(waitForOldProcesses);
        close();
        return start(dataDir.getParent(), port, installation);
    }

    private void awaitOldProcessesGone(Duration timeout) {
        OptionalLong segment = interlockSegment();
        if (segment.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (attachedProcesses(segment.getAsLong()) > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("processes of the PostgreSQL server that died are still attached to "
                        + "its shared memory (segment " + segment.getAsLong() + ", see ipcs -m) after "
                        + timeout.toSeconds() + " s, so no new server is started beside them. Fix: stop them (ps -ef "
                        + "| grep 'postgres:'); the next attempt starts the server.");
            }
            sleep(Duration.ofMillis(200));
        }
    }

    /** The System V segment the postmaster records in postmaster.pid (line 7: key, id), if readable. */
    private OptionalLong interlockSegment() {
        try {
            List<String> lines = Files.readAllLines(dataDir.resolve("postmaster.pid"));
            String[] keyAndId = lines.size() < 7 ? new String[0] : lines.get(6).trim().split("\\s+");
            return keyAndId.length < 2 ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(keyAndId[1]));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** nattch of a System V shared memory segment (0 when it is gone or unreadable). */
    private static int attachedProcesses(long segmentId) {
        try (Stream<String> lines = Files.lines(Path.of("/proc/sysvipc/shm"))) {
            return lines.skip(1).map(line -> line.trim().split("\\s+"))
                    .filter(fields -> fields.length > 6 && fields[1].equals(Long.toString(segmentId)))
                    .mapToInt(fields -> Integer.parseInt(fields[6])).findFirst().orElse(0);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Fast shutdown (disconnects clients, checkpoints); returns when no server process is left. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        ChildProcesses.removeShutdownHook(shutdownHook);
        stopServer();
        lock.close();
    }

    private void stopServer() {
        watchdog.descendants().forEach(ProcessHandle::destroy); // its tail would wait for this JVM's exit
        watchdog.destroy();
        if (!process.isAlive()) {
            return;
        }
        ChildProcesses.signal(process.pid(), "INT"); // PostgreSQL's "fast" shutdown
        if (!ChildProcesses.awaitExit(process, STOP_TIMEOUT)) {
            log.warn("PostgreSQL on port {} did not stop within {}; stopping it immediately", port, STOP_TIMEOUT);
            ChildProcesses.signal(process.pid(), "QUIT");
            if (!ChildProcesses.awaitExit(process, Duration.ofSeconds(10))) {
                process.destroyForcibly();
                ChildProcesses.awaitExit(process, Duration.ofSeconds(10));
            }
        }
    }

    private static void initialise(UnprivilegedExecution runAs, Path install, Path base, Path dataDir, Path logFile) {
        // initdb writes into a scratch directory that becomes the data directory only when complete.
        Path scratch = base.resolve("data.initdb");
        Path passwordFile = base.resolve("superuser-password.txt");
        try {
            PostgresInstallation.deleteRecursively(scratch);
            Files.createDirectories(scratch);
            runAs.takeOwnership(scratch);
            Files.writeString(passwordFile, SUPERUSER_PASSWORD + "\n", StandardCharsets.UTF_8);
            ChildProcesses.runLogged(runAs.wrap(List.of(install.resolve("bin/initdb").toString(),
                    "--pgdata=" + scratch, "--username=" + SUPERUSER, "--pwfile=" + passwordFile,
                    "--auth-host=scram-sha-256", "--auth-local=trust", "--encoding=UTF8", "--locale=C")),
                    logFile, Duration.ofMinutes(5));
            Files.move(scratch, dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the PostgreSQL data directory " + dataDir, e);
        } finally {
            try {
                Files.deleteIfExists(passwordFile);
            } catch (IOException ignored) {
                // a fixed, public test password: nothing secret is left behind
            }
        }
    }

    private static Process launch(UnprivilegedExecution runAs, Path install, Path dataDir, Path logFile, int port) {
        List<String> command = runAs.wrap(List.of(install.resolve("bin/postgres").toString(),
                "-D", dataDir.toString(),
                "-p", Integer.toString(port),
                "-c", "listen_addresses=127.0.0.1",
                "-c", "unix_socket_directories=", // no socket in /tmp or /var/run: TCP on loopback only
                "-c", "max_connections=200")); // several Spring contexts with pools share one test server
        try {
            // unshare and setpriv exec PostgreSQL, so this process is the postmaster itself.
            return new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                close();
                throw new IllegalStateException("PostgreSQL exited with code " + process.exitValue()
                        + " while starting. Log " + logFile + " ends with:\n" + ChildProcesses.tail(logFile, 30));
            }
            try (Connection ignored = connect()) {
                return;
            } catch (SQLException e) {
                last = e;
            }
            sleep(Duration.ofMillis(100));
        }
        close();
        throw new IllegalStateException("PostgreSQL did not accept connections on 127.0.0.1:" + port + " within "
                + START_TIMEOUT + " (last error: " + (last == null ? "none" : last.getMessage()) + "). Log "
                + logFile + " ends with:\n" + ChildProcesses.tail(logFile, 30));
    }

    private Connection connect() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", SUPERUSER);
        props.setProperty("password", SUPERUSER_PASSWORD);
        props.setProperty("connectTimeout", "2");
        return DriverManager.getConnection(server().jdbcUrl("postgres"), props);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for PostgreSQL", e);
        }
    }
}
