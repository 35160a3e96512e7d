package io.scoreboard.infra.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clears what a hard-killed JVM leaves in a data directory: the postmaster it started (still
 * running, now an orphan) and its postmaster.pid. Call only while holding the directory's lock.
 * PostgreSQL cannot clean a stale pid file itself here: under {@code unshare -U} every root process
 * looks alive to it, so a reused pid would make it refuse to start.
 */
final class StalePostmaster {

    private static final Logger log = LoggerFactory.getLogger(StalePostmaster.class);

    private StalePostmaster() {
    }

    static void clear(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        try {
            if (!Files.exists(pidFile)) {
                return;
            }
            List<String> lines = Files.readAllLines(pidFile);
            long pid = lines.isEmpty() || lines.get(0).isBlank() ? -1 : Long.parseLong(lines.get(0).trim());
            if (pid > 0 && isPostmasterOf(pid, dataDir)) {
                log.warn("stopping PostgreSQL pid {} left running on {} by a JVM that died", pid, dataDir);
                ChildProcesses.signal(pid, "INT");
                if (!ChildProcesses.awaitExit(pid, Duration.ofSeconds(60))) {
                    ChildProcesses.signal(pid, "KILL");
                    ChildProcesses.awaitExit(pid, Duration.ofSeconds(10));
                }
            }
            Files.deleteIfExists(pidFile);
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot clear the stale " + pidFile + ": " + e.getMessage()
                    + ". Fix: make sure no PostgreSQL runs on " + dataDir + ", then delete that file.", e);
        }
    }

    private static boolean isPostmasterOf(long pid, Path dataDir) {
        String commandLine = ChildProcesses.commandLine(pid);
        return commandLine.contains("postgres") && commandLine.contains(dataDir.toString());
    }

}
