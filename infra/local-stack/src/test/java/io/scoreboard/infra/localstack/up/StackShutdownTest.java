package io.scoreboard.infra.localstack.up;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./scoreboard down} over real processes (sh and sleep) standing in for the launcher and its children. */
class StackShutdownTest {

    @TempDir
    Path dataDir;
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private Process launcher;
    private Process leftOver;
    private Process stranger;

    @AfterEach
    void cleanUp() {
        for (Process p : new Process[] {launcher, leftOver, stranger}) {
            if (p != null) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void stopsTheLauncher_andWhatItLeftBehind_butNotAProcessThatMerelyHasARecordedPid() throws Exception {
        // exec -a gives the process the launcher's class as its name, as `java … LocalStackMain up` has it.
        launcher = new ProcessBuilder("bash", "-c", "exec -a " + StackShutdown.LAUNCHER_CLASS + " sleep 600").start();
        leftOver = new ProcessBuilder("sh", "-c", "sleep 600", "sh", dataDir.toAbsolutePath().toString()).start();
        stranger = new ProcessBuilder("sleep", "600").start();
        awaitCommandLine(launcher, StackShutdown.LAUNCHER_CLASS);
        Files.writeString(dataDir.resolve("stack.json"), """
                {"pid": %d, "processes": {
                  "kafka-1": {"pid": %d, "state": "up"},
                  "query-service-2": {"pid": %d, "state": "up"}}}
                """.formatted(launcher.pid(), leftOver.pid(), stranger.pid()));

        int exit = StackShutdown.stop(dataDir, new PrintStream(console, true, StandardCharsets.UTF_8));

        assertThat(exit).isZero();
        assertThat(launcher.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(leftOver.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(stranger.isAlive()).as("a pid whose command line is not ours").isTrue();
        assertThat(output()).contains("stopping ./scoreboard up (pid " + launcher.pid() + ")")
                .contains("stopping kafka-1 (pid " + leftOver.pid() + "), left behind")
                .doesNotContain("query-service-2")
                .contains("stopped.");
    }

    @Test
    void withNothingRunning_saysSo() throws Exception {
        assertThat(StackShutdown.stop(dataDir, new PrintStream(console, true, StandardCharsets.UTF_8))).isZero();
        assertThat(output()).contains("nothing to stop: no " + dataDir.resolve("stack.json"));

        Files.writeString(dataDir.resolve("stack.json"), "{\"pid\": 999999999, \"processes\": {}}");
        assertThat(StackShutdown.stop(dataDir, new PrintStream(console, true, StandardCharsets.UTF_8))).isZero();
        assertThat(output()).contains("no process recorded in");
    }

    private String output() {
        return console.toString(StandardCharsets.UTF_8);
    }

    private static void awaitCommandLine(Process process, String text) throws InterruptedException {
        for (int i = 0; i < 100 && !io.scoreboard.infra.localstack.ChildProcesses.commandLine(process.pid()).contains(text); i++) {
            Thread.sleep(50);
        }
    }
}
