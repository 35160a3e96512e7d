package io.scoreboard.infra.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Small process chores shared by the embedded servers (and the stack's supervisor: {@link #tail}). */
public final class ChildProcesses {

    private ChildProcesses() {
    }

    /** Closing before JVM exit: the hook is no longer needed (and may already be running). */
    static void removeShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or about to; the stop it calls is idempotent
        }
    }

    /** Sends a signal by name (INT, TERM, QUIT, KILL); Java's Process API only knows TERM and KILL. */
    static void signal(long pid, String signal) {
        run(List.of("kill", "-" + signal, Long.toString(pid)), Duration.ofSeconds(10));
    }

    /**
     * Starts a watchdog that sends {@code signal} to {@code pid} once this JVM is gone, for native
     * children that cannot watch their parent themselves: a JVM killed hard would otherwise leave
     * them running. The signal goes only if the target's command line still contains
     * {@code identity}, so a recycled pid is left alone. Destroy the watchdog when the child stops.
     */
    static Process signalWhenThisJvmDies(long pid, String signal, String identity) {
        // tail --pid waits without spawning anything; positional parameters keep paths unquoted.
        String script = "tail --pid=\"$1\" -f /dev/null; "
                + "grep -qF -- \"$4\" /proc/\"$2\"/cmdline 2>/dev/null && kill -\"$3\" \"$2\"";
        try {
            return new ProcessBuilder("sh", "-c", script, "watchdog", Long.toString(ProcessHandle.current().pid()),
                    Long.toString(pid), signal, identity)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the watchdog for pid " + pid, e);
        }
    }

    /** Waits for a process that is not our child (an orphan from an earlier JVM). */
    static boolean awaitExit(long pid, Duration timeout) {
        return ProcessHandle.of(pid).map(handle -> {
            try {
                handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return true;
            } catch (Exception e) {
                return !handle.isAlive();
            }
        }).orElse(true);
    }

    static boolean awaitExit(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /** Runs a short command and answers whether it exited with 0; its output is discarded. */
    static boolean succeeds(List<String> command) {
        try {
            return run(command, Duration.ofSeconds(30)) == 0;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Runs a command to completion, its output appended to {@code log}; fails with the log's tail. */
    static void runLogged(List<String> command, Path log, Duration timeout) {
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            if (!awaitExit(process, timeout)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout
                        + ". Log " + log + " ends with:\n" + tail(log, 30));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed with exit code "
                        + process.exitValue() + ". Log " + log + " ends with:\n" + tail(log, 30));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        }
    }

    /** The command line of a running process, or "" when it is gone or unreadable. */
    public static String commandLine(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    /** The last lines of a log file, for error messages. */
    public static String tail(Path file, int lines) {
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            // Only the end matters, and broker logs grow large.
            long from = Math.max(0, channel.size() - 64 * 1024);
            ByteBuffer buffer = ByteBuffer.allocate((int) (channel.size() - from));
            channel.position(from);
            while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                // keep reading
            }
            String[] all = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).split("\n");
            return String.join("\n", Arrays.asList(all).subList(Math.max(0, all.length - lines), all.length));
        } catch (NoSuchFileException e) {
            return "(no log file " + file + ")";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    private static int run(List<String> command, Duration timeout) {
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!awaitExit(process, timeout)) {
                process.destroyForcibly();
                return -1;
            }
            return process.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        }
    }
}
