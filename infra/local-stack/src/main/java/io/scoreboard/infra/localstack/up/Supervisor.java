package io.scoreboard.infra.localstack.up;

import io.scoreboard.infra.localstack.ChildProcesses;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Keeps the local stack's processes running: one that exits unexpectedly is reported (exit code, the
 * end of its log, the log's path) and started again after a {@link RestartBackoff}, while the others
 * keep running. A thread per child, so a slow restart (Kafka, PostgreSQL's recovery) delays no other.
 * {@link #stop()} before closing the children: their exits are then expected.
 */
final class Supervisor {

    /** Written into a child's log before each restart; an exit is described from the lines after it. */
    static final String RESTART_MARKER = "----- ./scoreboard up restarts ";
    private static final Duration POLL = Duration.ofMillis(500);
    private static final int TAIL_LINES = 20;

    enum State { UP, DOWN, STARTING }

    /** One exit: its code, when, and what it means for an operator. */
    record Exit(int code, Instant at, String meaning) {
    }

    /** What the console's status line and stack.json show of a child. */
    record Status(String name, long pid, State state, int restarts, Exit lastExit, String log) {
    }

    private final Consumer<String> console;
    private final Runnable onChange;
    private final Supplier<RestartBackoff> backoffs;
    private final List<Watch> watches = new CopyOnWriteArrayList<>();
    private volatile boolean stopping;

    /**
     * @param console  prints one line for the operator
     * @param onChange called after every change of a child's state (to rewrite stack.json)
     */
    Supervisor(Consumer<String> console, Runnable onChange, Supplier<RestartBackoff> backoffs) {
        this.console = console;
        this.onChange = onChange;
        this.backoffs = backoffs;
    }

    /** Watches a child that has just started, from now until {@link #stop()}. */
    void watch(SupervisedChild child) {
        Watch watch = new Watch(child, backoffs.get());
        watches.add(watch);
        Thread thread = new Thread(watch::run, "supervise-" + child.name());
        thread.setDaemon(true);
        watch.thread = thread;
        thread.start();
    }

    /** From now on exits are expected: nothing is restarted any more. */
    void stop() {
        stopping = true;
        watches.forEach(w -> w.thread.interrupt());
    }

    List<Status> statuses() {
        return watches.stream().map(Watch::status).toList();
    }

    /** One line: every child's state, and for those that were restarted, how often and their last exit. */
    String statusLine() {
        return "status: " + statuses().stream().map(Supervisor::describe).collect(Collectors.joining(" · "));
    }

    private static String describe(Status s) {
        List<String> details = new ArrayList<>();
        if (s.state() == State.UP) {
            details.add("pid " + s.pid());
        }
        if (s.restarts() > 0) {
            details.add("restarts " + s.restarts());
        }
        if (s.lastExit() != null) {
            details.add("last exit " + s.lastExit().code() + " at "
                    + LocalTime.ofInstant(s.lastExit().at(), ZoneId.systemDefault()).truncatedTo(ChronoUnit.SECONDS));
        }
        String state = switch (s.state()) {
            case UP -> "up";
            case STARTING -> "starting";
            case DOWN -> "DOWN";
        };
        return s.name() + " " + state + (details.isEmpty() ? "" : " (" + String.join(", ", details) + ")");
    }

    /** What an exit code means; a JVM's own report of running out of memory wins over the bare code. */
    static String meaning(int code, String logTail) {
        String outOfMemory = Arrays.stream(logTail.split("\n"))
                .filter(line -> line.contains("OutOfMemoryError")).reduce((a, b) -> b).orElse(null);
        if (outOfMemory != null) {
            return "it ran out of memory (" + outOfMemory.strip() + ")";
        }
        return switch (code) {
            case 137 -> "it was killed (SIGKILL): by someone, or by the kernel's out-of-memory killer (see dmesg)";
            case 143 -> "it was terminated (SIGTERM) by someone else";
            case 130 -> "it was interrupted (SIGINT) by someone else";
            default -> code > 128 && code < 160 ? "it was ended by signal " + (code - 128)
                    : code == 0 ? "it stopped by itself" : "it failed";
        };
    }

    private final class Watch {
        private final SupervisedChild child;
        private final RestartBackoff backoff;
        private volatile Thread thread;
        private volatile State state = State.UP;
        private volatile int restarts;
        private volatile Exit lastExit;
        private volatile Instant upSince = Instant.now();

        Watch(SupervisedChild child, RestartBackoff backoff) {
            this.child = child;
            this.backoff = backoff;
        }

        Status status() {
            return new Status(child.name(), state == State.UP ? child.pid() : -1, state, restarts, lastExit,
                    child.logFile().toString());
        }

        void run() {
            try {
                while (!stopping) {
                    if (child.isAlive()) {
                        Thread.sleep(POLL.toMillis());
                        continue;
                    }
                    if (stopping) {
                        return;
                    }
                    Duration delay = reportExit();
                    startAgain(delay);
                }
            } catch (InterruptedException e) {
                // stopping
            }
        }

        private Duration reportExit() {
            Instant now = Instant.now();
            long pid = child.pid();
            Duration uptime = Duration.between(upSince, now);
            int code = child.exitCode();
            String tail = sinceLastRestart(ChildProcesses.tail(child.logFile(), 200));
            lastExit = new Exit(code, now, meaning(code, tail));
            state = State.DOWN;
            Duration delay = backoff.after(uptime);
            // One block, so reports of two children dying together do not interleave.
            StringBuilder report = new StringBuilder("[scoreboard] ").append(child.name()).append(" (pid ")
                    .append(pid).append(") exited unexpectedly with code ").append(code).append(" after ")
                    .append(human(uptime)).append(": ").append(lastExit.meaning()).append('.');
            String hints = child.exitHints(code, tail, upSince);
            if (!hints.isEmpty()) {
                report.append("\n[scoreboard]   ").append(hints);
            }
            report.append("\n[scoreboard]   its log: ").append(child.logFile()).append("; the last lines:");
            List<String> lines = Arrays.asList(tail.split("\n"));
            lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size())
                    .forEach(line -> report.append("\n    | ").append(line));
            report.append("\n[scoreboard] restarting ").append(child.name()).append(" in ").append(human(delay))
                    .append(" (restart ").append(restarts + 1).append("); the other processes keep running.");
            console.accept(report.toString());
            changed();
            return delay;
        }

        private void startAgain(Duration firstDelay) throws InterruptedException {
            Duration delay = firstDelay;
            while (true) {
                Thread.sleep(delay.toMillis());
                if (stopping) {
                    return;
                }
                restarts++;
                state = State.STARTING;
                changed();
                markLog();
                try {
                    child.restart(restarts);
                } catch (RuntimeException e) {
                    if (stopping) {
                        return;
                    }
                    state = State.DOWN;
                    lastExit = new Exit(child.isAlive() ? -1 : child.exitCode(), Instant.now(), "it did not start");
                    delay = backoff.after(Duration.ZERO);
                    say(child.name() + " did not start again: " + e.getMessage());
                    say("trying again in " + human(delay) + " (restart " + (restarts + 1) + ").");
                    changed();
                    continue;
                }
                if (stopping) {
                    return;
                }
                upSince = Instant.now();
                state = State.UP;
                say(child.name() + " is up again (pid " + child.pid() + ", restart " + restarts + ").");
                changed();
                return;
            }
        }

        private void markLog() {
            try {
                Files.writeString(child.logFile(), "\n" + RESTART_MARKER + child.name() + " (restart " + restarts
                        + ") at " + Instant.now() + " -----\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } catch (IOException e) {
                // the marker only helps reading the log
            }
        }

        private void changed() {
            say(statusLine());
            try {
                onChange.run();
            } catch (RuntimeException e) {
                say("cannot record the change: " + e.getMessage());
            }
        }
    }

    private static String sinceLastRestart(String tail) {
        int marker = tail.lastIndexOf(RESTART_MARKER);
        if (marker < 0) {
            return tail;
        }
        int lineEnd = tail.indexOf('\n', marker);
        return lineEnd < 0 ? "" : tail.substring(lineEnd + 1);
    }

    private void say(String message) {
        console.accept("[scoreboard] " + message);
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + " s";
        }
        return s < 3600 ? (s / 60) + " min " + (s % 60) + " s" : (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }
}
