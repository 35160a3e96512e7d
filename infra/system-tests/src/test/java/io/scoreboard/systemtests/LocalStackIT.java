package io.scoreboard.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoreboard.infra.localstack.Ports;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./scoreboard up} as a user runs it (the script, in a checkout laid out as after a build): the
 * launcher in the foreground starts PostgreSQL, Kafka and both services, records them in
 * .scoreboard/stack.json, serves requests, restarts a service that dies while the others keep
 * serving, keeps its data across runs, and on SIGTERM leaves no process behind; the operator commands
 * that follow do not rebuild anything.
 */
class LocalStackIT {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);

    @TempDir
    static Path root;
    private static Map<String, String> ports;

    @BeforeAll
    static void layOutACheckout() throws IOException {
        layOutACheckout(root);
        int kafka = Ports.findFree();
        while (!Ports.isFree(kafka + 1)) {
            kafka = Ports.findFree();
        }
        ports = Map.of(
                "SCOREBOARD_POSTGRES_PORT", Integer.toString(Ports.findFree()),
                "SCOREBOARD_KAFKA_PORT", Integer.toString(kafka),
                "SCOREBOARD_COMMAND_PORT", Integer.toString(Ports.findFree()),
                "SCOREBOARD_QUERY_PORT", Integer.toString(Ports.findFree()));
    }

    /**
     * A checkout as a clone followed by a build leaves it: the script and the sources older than the jars
     * (symbolic links to the ones this build made), and under target/ files newer than the jars (a build
     * copies resources into target/classes module by module, tests unpack PostgreSQL there).
     */
    static void layOutACheckout(Path checkout) throws IOException {
        FileTime beforeTheBuild = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
        Path script = Files.copy(REPO.resolve("scoreboard"), checkout.resolve("scoreboard"));
        script.toFile().setExecutable(true);
        Files.setLastModifiedTime(script, beforeTheBuild);
        Files.setLastModifiedTime(Files.writeString(checkout.resolve("pom.xml"), "<project/>\n"), beforeTheBuild);
        Map<String, Path> jars = Map.of(
                "command-service", RunningSystem.jar("command-service"),
                "query-service", RunningSystem.jar("query-service"),
                "projections/operator-cli", RunningSystem.jar("operator-cli"),
                "infra/local-stack", Path.of(System.getProperty("scoreboard.local-stack.jar")));
        for (Map.Entry<String, Path> module : jars.entrySet()) {
            Path target = Files.createDirectories(checkout.resolve(module.getKey()).resolve("target"));
            Files.createSymbolicLink(target.resolve(module.getValue().getFileName()), module.getValue().toAbsolutePath());
            Path source = Files.createDirectories(checkout.resolve(module.getKey()).resolve("src/main/java"))
                    .resolve("Source.java");
            Files.setLastModifiedTime(Files.writeString(source, "class Source {}\n"), beforeTheBuild);
            Files.setLastModifiedTime(Files.writeString(checkout.resolve(module.getKey()).resolve("pom.xml"),
                    "<project/>\n"), beforeTheBuild);
            // newer than every jar, as what a build or a test run leaves under target/
            Files.writeString(Files.createDirectories(target.resolve("classes")).resolve("application.yml"), "a: 1\n");
            Files.writeString(Files.createDirectories(target.resolve("postgres/share")).resolve("fresh.sql"), "--\n");
            Files.writeString(Files.createDirectories(target.resolve("generated-sources")).resolve("Fresh.java"), "\n");
        }
        Files.createSymbolicLink(checkout.resolve("infra/local-stack/target/lib"),
                Path.of(System.getProperty("scoreboard.local-stack.lib")).toAbsolutePath());
    }

    @Test
    void upServesRequestsRestartsADeadServiceKeepsDataAcrossRunsAndStopsEverything() throws Exception {
        String boardId;
        long position;
        try (Launcher first = Launcher.start(ports)) {
            first.awaitOutput("Scoreboard is running.", START_TIMEOUT);
            assertThat(first.output()).as("the launcher found everything built").doesNotContain("building");
            // Right after up, an operator command answers without building first.
            Script.Result status = Script.run(root, "status", "--json");
            assertThat(status.output()).as("status after up").doesNotContain("building");
            assertThat(status.exitCode()).as(status.output()).isZero();
            assertThat(Http.JSON.readTree(status.stdout()).get("environment").asText()).isEqualTo("dev");

            JsonNode stack = Http.JSON.readTree(root.resolve(".scoreboard/stack.json").toFile());
            assertThat(stack.at("/postgres/databases/events").asText()).isEqualTo("scoreboard_events");
            assertThat(stack.at("/postgres/databases/read").asText()).isEqualTo("scoreboard_read");
            assertThat(stack.at("/postgres/url").asText()).startsWith("jdbc:postgresql://127.0.0.1:");
            assertThat(stack.at("/postgres/serviceRole/user").asText()).isEqualTo("scoreboard_app");
            assertThat(stack.at("/postgres/serviceRole/password").asText()).isNotBlank();
            assertThat(stack.at("/kafka/bootstrapServers").asText())
                    .isEqualTo("127.0.0.1:" + ports.get("SCOREBOARD_KAFKA_PORT"));
            String command = stack.at("/services/command").asText();
            String query = stack.at("/services/query").asText();
            assertThat(command).endsWith(":" + ports.get("SCOREBOARD_COMMAND_PORT"));

            Http.Response created = Http.post(URI.create(command + "/api/v1/scoreboards"),
                    "{\"name\":\"Pub quiz\",\"participants\":[\"Cat\"]}");
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            boardId = created.json().get("scoreboardId").asText();
            position = created.json().get("position").asLong();
            assertThat(Http.get(URI.create(query + "/api/v1/scoreboards/" + boardId + "?minPosition=" + position))
                    .status()).isEqualTo(200);
            // An analyst connects with what stack.json records and reads the same board from the views.
            try (Connection analyst = DriverManager.getConnection(stack.at("/postgres/analystRole/url").asText(),
                    stack.at("/postgres/analystRole/user").asText(), stack.at("/postgres/analystRole/password").asText());
                 Statement s = analyst.createStatement();
                 ResultSet rs = s.executeQuery("SELECT participant_name, rank FROM leaderboard WHERE scoreboard_id = '"
                         + boardId + "'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1) + "=" + rs.getLong(2)).isEqualTo("Cat=1");
            }

            // The command service dies hard (as the kernel's OOM killer would do it): it is reported and
            // restarted, and the query service serves all along.
            long commandPid = stack.at("/processes/command-service/pid").asLong();
            long queryPid = stack.at("/processes/query-service/pid").asLong();
            assertThat(first.process.descendants().map(ProcessHandle::pid).toList()).contains(commandPid, queryPid);
            ProcessHandle.of(commandPid).orElseThrow().destroyForcibly();
            first.awaitOutput("command-service (pid " + commandPid + ") exited unexpectedly with code 137", START_TIMEOUT);
            assertThat(Http.get(URI.create(query + "/api/v1/scoreboards/" + boardId)).status())
                    .as("the query service while the command service is down").isEqualTo(200);
            first.awaitOutput("command-service is up again", START_TIMEOUT);
            assertThat(first.output()).contains("its log: " + root.resolve(".scoreboard/logs/command-service.log"))
                    .contains("restarting command-service in 1 s (restart 1)")
                    .containsPattern("command-service up \\(pid \\d+, restarts 1, last exit 137 at ");
            JsonNode afterRestart = Http.JSON.readTree(root.resolve(".scoreboard/stack.json").toFile());
            long restartedPid = afterRestart.at("/processes/command-service/pid").asLong();
            assertThat(restartedPid).isNotEqualTo(commandPid);
            assertThat(afterRestart.at("/processes/command-service/restarts").asInt()).isEqualTo(1);
            assertThat(afterRestart.at("/processes/command-service/lastExit/code").asInt()).isEqualTo(137);
            assertThat(afterRestart.at("/processes/query-service/pid").asLong()).isEqualTo(queryPid);
            assertThat(afterRestart.at("/processes/query-service/restarts").asInt()).isZero();
            Http.Response afterCrash = Http.post(URI.create(command + "/api/v1/scoreboards"),
                    "{\"name\":\"After the crash\",\"participants\":[\"Dan\"]}");
            assertThat(afterCrash.status()).as("writes after the restart: " + afterCrash.body()).isEqualTo(201);
            assertThat(Http.get(URI.create(query + "/api/v1/scoreboards/" + afterCrash.json().get("scoreboardId").asText()
                    + "?minPosition=" + afterCrash.json().get("position").asLong())).status()).isEqualTo(200);
            assertThat(ProcessHandle.of(queryPid).map(ProcessHandle::isAlive)).as("the query service kept running")
                    .contains(true);

            List<ProcessHandle> children = first.process.descendants().toList();
            assertThat(children).as("PostgreSQL, Kafka and two services").hasSizeGreaterThanOrEqualTo(4);
            first.terminate();
            assertThat(first.exitCode()).as("exit on SIGTERM").isIn(0, 143);
            assertThat(children).as("processes left behind").noneMatch(ProcessHandle::isAlive);
        }

        try (Launcher second = Launcher.start(ports)) {
            second.awaitOutput("Scoreboard is running.", START_TIMEOUT);
            String query = "http://127.0.0.1:" + ports.get("SCOREBOARD_QUERY_PORT");
            Http.Response board = Http.get(URI.create(query + "/api/v1/scoreboards/" + boardId + "?minPosition=" + position));
            assertThat(board.status()).as("the board survived a restart: " + board.body()).isEqualTo(200);
            assertThat(board.json().get("name").asText()).isEqualTo("Pub quiz");

            // The operator CLI in the checkout, with no settings at all: it finds the stack in stack.json.
            Script.Result verify = Script.run(root, "verify");
            assertThat(verify.exitCode()).as(verify.output()).isZero();
            assertThat(verify.output()).contains("RESULT: OK").doesNotContain("building");
            second.terminate();
        }
    }

    @Test
    void aTakenPortStopsStartUpNamingTheSetting() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Map<String, String> env = new java.util.HashMap<>(ports);
            env.put("SCOREBOARD_COMMAND_PORT", Integer.toString(taken.getLocalPort()));
            try (Launcher launcher = Launcher.start(env)) {
                assertThat(launcher.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(launcher.process.exitValue()).isEqualTo(1);
                assertThat(launcher.output()).contains("SCOREBOARD_COMMAND_PORT")
                        .contains("port " + taken.getLocalPort() + " on 127.0.0.1 is already in use");
            }
        }
    }

    @Test
    void anOperatorCommandRebuildsOnceWhenARealSourceChanged(@TempDir Path checkout) throws Exception {
        layOutACheckout(checkout);
        // Stands in for Maven: records that the script asked for a build. Like Maven for a module that did not
        // change, it leaves every jar as it is.
        Path mvnw = Files.writeString(checkout.resolve("mvnw"), "#!/bin/sh\necho \"$@\" >> mvnw-calls.txt\n");
        mvnw.toFile().setExecutable(true);
        Path calls = checkout.resolve("mvnw-calls.txt");
        assertThat(Script.run(checkout, "status", "--help").output()).doesNotContain("building");
        assertThat(calls).doesNotExist();

        Files.writeString(checkout.resolve("query-service/src/main/java/Source.java"), "class Source { int changed; }\n");
        Script.Result afterTheChange = Script.run(checkout, "status", "--help");
        assertThat(afterTheChange.output()).contains("[scoreboard] building");
        assertThat(Files.readAllLines(calls)).hasSize(1).allMatch(call -> call.contains("package"));

        // The jars are older than the change, but the build after it succeeded: nothing to build any more.
        Script.Result next = Script.run(checkout, "status", "--help");
        assertThat(next.output()).doesNotContain("building");
        assertThat(Files.readAllLines(calls)).hasSize(1);
    }

    private static final Path REPO = Path.of(System.getProperty("scoreboard.repo.root", "../..")).toAbsolutePath()
            .normalize();

    /** {@code ./scoreboard <command>} in a checkout, as an operator types it, without any SCOREBOARD_* setting. */
    private static final class Script {
        record Result(int exitCode, String stdout, String stderr) {
            String output() {
                return stdout + stderr;
            }
        }

        static Result run(Path checkout, String... args) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>(List.of("bash", checkout.resolve("scoreboard").toString()));
            command.addAll(List.of(args));
            Path out = Files.createTempFile(checkout, "script", ".out");
            Path err = Files.createTempFile(checkout, "script", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).directory(checkout.toFile())
                        .redirectOutput(out.toFile()).redirectError(err.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                builder.environment().keySet().removeIf(k -> k.startsWith("SCOREBOARD_"));
                builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
                Process process = builder.start();
                if (!process.waitFor(5, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new AssertionError("./scoreboard " + String.join(" ", args) + " did not finish in 5 min");
                }
                return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        }
    }

    /** The launcher exactly as a user starts it, {@code ./scoreboard up}, with its console captured. */
    private static final class Launcher implements AutoCloseable {
        private final Process process;
        private final List<String> lines = new CopyOnWriteArrayList<>();

        private Launcher(Process process) {
            this.process = process;
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // process gone
                }
            }, "launcher-output");
            reader.setDaemon(true);
            reader.start();
        }

        static Launcher start(Map<String, String> env) throws IOException {
            // The script execs the launcher JVM, so this process is the launcher itself.
            List<String> command = List.of("bash", root.resolve("scoreboard").toString(), "up");
            ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            builder.environment().putAll(env);
            return new Launcher(builder.start());
        }

        void awaitOutput(String text, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (lines.stream().noneMatch(l -> l.contains(text))) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("launcher never printed '" + text + "'; it printed:\n" + output());
                }
                Thread.sleep(200);
            }
        }

        String output() {
            return String.join("\n", lines);
        }

        /** SIGTERM, as Ctrl-C or a service manager would send. */
        void terminate() throws InterruptedException {
            process.destroy();
            assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("stopped within 90 s:\n" + output()).isTrue();
        }

        int exitCode() {
            return process.exitValue();
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }
    }
}
