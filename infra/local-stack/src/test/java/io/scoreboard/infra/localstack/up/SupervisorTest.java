package io.scoreboard.infra.localstack.up;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The supervisor over real processes (sh), with a backoff of milliseconds. */
class SupervisorTest {

    @TempDir
    Path dir;
    private final List<String> console = new CopyOnWriteArrayList<>();
    private final AtomicInteger changes = new AtomicInteger();
    private final Supervisor supervisor = new Supervisor(console::add, changes::incrementAndGet,
            () -> new RestartBackoff(Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofMinutes(1)));
    private final List<ShellChild> children = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopEverything() {
        supervisor.stop();
        children.forEach(ShellChild::close);
    }

    @Test
    void aChildThatDiesIsReportedAndRestartedWhileTheOthersKeepRunning() throws Exception {
        ShellChild dying = child("command-service", "echo started; echo 'Terminating due to "
                + "java.lang.OutOfMemoryError: Java heap space'; exit 3", "echo again; exec sleep 600");
        ShellChild steady = child("query-service", "exec sleep 600", "exec sleep 600");
        long steadyPid = steady.pid();
        supervisor.watch(dying);
        supervisor.watch(steady);

        // The status line is the last thing the supervisor prints about a restart.
        await(() -> console.stream().anyMatch(line -> line.contains("status: command-service up (pid ")));
        String output = String.join("\n", console);
        assertThat(output).contains("command-service (pid ").contains("exited unexpectedly with code 3")
                .contains("it ran out of memory (Terminating due to java.lang.OutOfMemoryError: Java heap space)")
                .contains("its log: " + dying.logFile()).contains("    | started")
                .contains("restarting command-service in 0 s (restart 1); the other processes keep running.")
                .contains("command-service is up again (pid " + dying.pid() + ", restart 1).")
                .contains("status: command-service up (pid " + dying.pid() + ", restarts 1, last exit 3 at ");
        assertThat(dying.isAlive()).isTrue();
        assertThat(status("command-service").lastExit().code()).isEqualTo(3);
        assertThat(Files.readString(dying.logFile())).contains(Supervisor.RESTART_MARKER + "command-service (restart 1)")
                .contains("again");
        assertThat(status("query-service").restarts()).isZero();
        assertThat(steady.pid()).isEqualTo(steadyPid);
        assertThat(steady.isAlive()).isTrue();
        assertThat(changes.get()).isPositive();
    }

    @Test
    void aChildThatDoesNotComeUpIsTriedAgainAndAgain() {
        ShellChild broken = child("Kafka", "exit 1", "exit 1");
        broken.failRestarts = true;
        supervisor.watch(broken);

        await(() -> console.stream().filter(line -> line.contains("trying again in")).count() >= 2);
        assertThat(String.join("\n", console)).contains("Kafka did not start again: it exited at once")
                .contains("trying again in");
        assertThat(status("Kafka").state()).isNotEqualTo(Supervisor.State.UP);
    }

    @Test
    void afterStopNothingIsRestarted() throws Exception {
        ShellChild child = child("query-service", "exec sleep 600", "exec sleep 600");
        supervisor.watch(child);
        supervisor.stop();
        long pid = child.pid();
        child.close();
        Thread.sleep(1_000); // several polls and backoffs: a restart would have happened by now
        assertThat(child.pid()).isEqualTo(pid);
        assertThat(child.isAlive()).isFalse();
        assertThat(status("query-service").restarts()).isZero();
        assertThat(console).noneMatch(line -> line.contains("exited unexpectedly"));
    }

    private Supervisor.Status status(String name) {
        return supervisor.statuses().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private ShellChild child(String name, String firstRun, String laterRuns) {
        ShellChild child = new ShellChild(name, dir.resolve(name + ".log"), laterRuns);
        child.launch(firstRun);
        children.add(child);
        return child;
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within 60 s").isLessThan(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A real process run by sh, its output appended to its log. */
    private static final class ShellChild implements SupervisedChild {
        private final String name;
        private final Path log;
        private final String laterRuns;
        private volatile Process process;
        private volatile boolean failRestarts;

        ShellChild(String name, Path log, String laterRuns) {
            this.name = name;
            this.log = log;
            this.laterRuns = laterRuns;
        }

        void launch(String script) {
            try {
                process = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public long pid() {
            return process.pid();
        }

        @Override
        public boolean isAlive() {
            return process.isAlive();
        }

        @Override
        public int exitCode() {
            return process.exitValue();
        }

        @Override
        public Path logFile() {
            return log;
        }

        @Override
        public void restart(int restart) {
            launch(laterRuns);
            if (failRestarts) {
                try {
                    process.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("it exited at once");
            }
        }

        @Override
        public void close() {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
