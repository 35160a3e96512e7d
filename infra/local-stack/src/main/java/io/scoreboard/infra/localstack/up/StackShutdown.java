package io.scoreboard.infra.localstack.up;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.scoreboard.infra.localstack.ChildProcesses;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./scoreboard down}: stops what a running {@code ./scoreboard up} started, as recorded in its
 * stack.json. The launcher gets SIGTERM and stops its processes in order, as on Ctrl-C; a process it left
 * behind (say the launcher was killed with -9) is stopped by its recorded pid. A pid is signalled only
 * while its command line still shows it is ours (the launcher's class, or this stack's data directory),
 * so a pid the system has since given to another program is left alone.
 */
public final class StackShutdown {

    static final String LAUNCHER_CLASS = "io.scoreboard.infra.localstack.LocalStackMain";
    private static final Duration LAUNCHER_STOP = Duration.ofMinutes(3);
    private static final Duration PROCESS_STOP = Duration.ofSeconds(30);

    private StackShutdown() {
    }

    /** Stops the stack recorded in {@code dataDir}/stack.json; returns the exit code (0: nothing of it runs any more). */
    public static int stop(Path dataDir, PrintStream out) {
        Path file = dataDir.resolve("stack.json");
        if (!Files.exists(file)) {
            out.println("[scoreboard] nothing to stop: no " + file + " (./scoreboard up has not run here).");
            return 0;
        }
        JsonNode stack;
        try {
            stack = JsonMapper.builder().build().readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + " (" + e.getMessage() + "). Fix: stop the "
                    + "processes of ./scoreboard up by hand (ps -ef | grep " + dataDir + ")");
        }
        boolean stoppedAll = true;
        boolean anything = false;
        Optional<ProcessHandle> launcher = ours(stack.path("pid").asLong(-1), LAUNCHER_CLASS);
        if (launcher.isPresent()) {
            anything = true;
            out.println("[scoreboard] stopping ./scoreboard up (pid " + launcher.get().pid() + ") and what it started …");
            stoppedAll = terminate(launcher.get(), LAUNCHER_STOP);
        }
        String identity = dataDir.toAbsolutePath().normalize().toString();
        Iterator<Map.Entry<String, JsonNode>> processes = stack.path("processes").fields();
        while (processes.hasNext()) {
            Map.Entry<String, JsonNode> entry = processes.next();
            Optional<ProcessHandle> left = ours(entry.getValue().path("pid").asLong(-1), identity);
            if (left.isPresent()) {
                anything = true;
                out.println("[scoreboard] stopping " + entry.getKey() + " (pid " + left.get().pid() + "), left behind …");
                stoppedAll &= terminate(left.get(), PROCESS_STOP);
            }
        }
        if (!anything) {
            out.println("[scoreboard] nothing to stop: no process recorded in " + file + " is running.");
        } else if (stoppedAll) {
            out.println("[scoreboard] stopped.");
        } else {
            out.println("[scoreboard] some processes did not stop; see above. Fix: kill -9 them.");
        }
        return stoppedAll ? 0 : 1;
    }

    /** The running process {@code pid}, if its command line contains {@code identity}. */
    static Optional<ProcessHandle> ours(long pid, String identity) {
        if (pid <= 0 || pid == ProcessHandle.current().pid()) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> ChildProcesses.commandLine(pid).contains(identity));
    }

    /** SIGTERM, then SIGKILL when it has not ended within {@code timeout}; true once it has ended. */
    private static boolean terminate(ProcessHandle process, Duration timeout) {
        process.destroy();
        if (awaitExit(process, timeout)) {
            return true;
        }
        process.destroyForcibly();
        return awaitExit(process, Duration.ofSeconds(10));
    }

    private static boolean awaitExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return !process.isAlive();
        }
    }
}
