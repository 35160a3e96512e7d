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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./scoreboard up} as a user runs it: the launcher in the foreground starts PostgreSQL,
 * Kafka and both services, records them in .scoreboard/stack.json, serves requests, keeps its data
 * across runs, and on SIGTERM leaves no process behind.
 */
class LocalStackIT {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);

    @TempDir
    static Path root;
    private static Map<String, String> ports;

    @BeforeAll
    static void layOutACheckout() throws IOException {
        // The launcher finds the service jars where a build leaves them, relative to its working directory.
        for (String service : List.of("command-service", "query-service")) {
            Path jar = RunningSystem.jar(service);
            Path target = Files.createDirectories(root.resolve(service).resolve("target"));
            Files.createSymbolicLink(target.resolve(jar.getFileName()), jar.toAbsolutePath());
        }
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

    @Test
    void upServesRequestsKeepsDataAcrossRunsAndStopsEverything() throws Exception {
        String boardId;
        long position;
        try (Launcher first = Launcher.start(ports)) {
            first.awaitOutput("Scoreboard is running.", START_TIMEOUT);
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
            OperatorCliProcess.Result status = OperatorCliProcess.execIn(root, List.of("status", "--json"));
            assertThat(status.exitCode()).as(status.all()).isZero();
            assertThat(Http.JSON.readTree(status.out()).get("environment").asText()).isEqualTo("dev");
            OperatorCliProcess.Result verify = OperatorCliProcess.execIn(root, List.of("verify"));
            assertThat(verify.exitCode()).as(verify.all()).isZero();
            assertThat(verify.out()).contains("RESULT: OK");
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

    /** The launcher JVM exactly as ./scoreboard starts it, with its console captured. */
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
            String classPath = System.getProperty("scoreboard.local-stack.jar") + java.io.File.pathSeparator
                    + System.getProperty("scoreboard.local-stack.lib") + "/*";
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                    "-cp", classPath, "io.scoreboard.infra.localstack.LocalStackMain", "up"));
            ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
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
