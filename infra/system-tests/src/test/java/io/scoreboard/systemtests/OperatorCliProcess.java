package io.scoreboard.systemtests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The operator CLI as an operator runs it: {@code java -jar operator-cli.jar <command>} in its own
 * process, pointed at a running system's databases and topic by flags, as the owner role.
 */
final class OperatorCliProcess {

    private static final long TIMEOUT_MINUTES = 10;

    private OperatorCliProcess() {}

    record Result(int exitCode, String out, String err) {
        String all() {
            return out + err;
        }
    }

    /** Runs {@code command} against the system, configured for the system's own environment. */
    static Result run(RunningSystem system, String... command) {
        return runAs(system.databases.environment(), system, command);
    }

    /** Runs {@code command} against the system, configured for {@code environment}. */
    static Result runAs(String environment, RunningSystem system, String... command) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(List.of(
                "--environment=" + environment,
                "--events-url=" + system.databases.eventsJdbcUrl(),
                "--read-url=" + system.databases.server().jdbcUrl(system.databases.readDatabase()),
                "--db-user=" + system.databases.ownerRole().user(),
                "--db-password=" + system.databases.ownerRole().password(),
                "--kafka=" + system.bootstrapServers,
                "--topic=" + system.topic));
        return exec(args);
    }

    /** How every disaster drill ends: the operator's own check says store, topic and read model agree. */
    static void assertVerifyAgrees(RunningSystem system) {
        Result verify = run(system, "verify");
        org.assertj.core.api.Assertions.assertThat(verify.exitCode()).as(verify.all()).isZero();
        org.assertj.core.api.Assertions.assertThat(verify.out()).contains("RESULT: OK");
    }

    static Result exec(List<String> args) {
        try {
            return execIn(Files.createDirectories(Path.of("target", "operator-cli-runs")), args);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the CLI's working directory", e);
        }
    }

    /** Runs the CLI in {@code workDir}, where a {@code .scoreboard/stack.json} may provide its settings. */
    static Result execIn(Path workDir, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-jar", RunningSystem.jar("operator-cli").toAbsolutePath().toString()));
        cmd.addAll(args);
        try {
            // None of the developer's SCOREBOARD_* settings: only the flags and the directory count.
            Path logs = Files.createDirectories(Path.of("target", "operator-cli-runs").toAbsolutePath());
            Path out = Files.createTempFile(logs, "out", ".txt");
            Path err = Files.createTempFile(logs, "err", ".txt");
            ProcessBuilder builder = new ProcessBuilder(cmd).directory(workDir.toFile());
            builder.environment().keySet().removeIf(k -> k.startsWith("SCOREBOARD_"));
            Process p = builder.redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("the CLI did not finish within " + TIMEOUT_MINUTES + " min: " + args);
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run the operator CLI", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
