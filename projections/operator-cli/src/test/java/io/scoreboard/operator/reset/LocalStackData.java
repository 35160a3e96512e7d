package io.scoreboard.operator.reset;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scoreboard.infra.database.DatabaseBootstrap;
import io.scoreboard.infra.database.PostgresServer;
import io.scoreboard.infra.database.ScoreboardRoles;
import io.scoreboard.infra.localstack.EmbeddedPostgres;
import io.scoreboard.infra.localstack.Ports;
import io.scoreboard.infra.localstack.PostgresBinaries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * A stopped local stack's data directory as {@code ./scoreboard up} leaves it: an embedded
 * PostgreSQL whose two databases record {@code environment}, a stack.json, logs and credentials.
 * Made under the module's {@code target/}, never in the real {@code .scoreboard}.
 */
public final class LocalStackData {

    public static final String EVENTS = "scoreboard_events";
    public static final String READ = "scoreboard_read";

    private LocalStackData() {}

    /** A fresh {@code <target>/<random>/.scoreboard}, its databases stamped {@code environment}. */
    public static Path create(String environment) throws IOException {
        Path dir = newDirectory();
        int port = Ports.findFree();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(dir.resolve("postgres"), port, PostgresBinaries.bundled())) {
            new DatabaseBootstrap(postgres.server(), ScoreboardRoles.withPasswords("owner-local", "app-local"),
                    environment).prepare(EVENTS, READ);
            writeStack(dir, postgres.server(), true, EVENTS, READ, "owner-local");
        }
        Files.createDirectories(dir.resolve("logs"));
        Files.writeString(dir.resolve("logs").resolve("command-service.log"), "started\n");
        Files.writeString(dir.resolve("credentials.json"), "{}");
        return dir;
    }

    /** A stack.json alone, for a stack that used an existing PostgreSQL at {@code server}. */
    public static Path onExistingPostgres(PostgresServer server, String eventsDb, String readDb, String ownerPassword)
            throws IOException {
        Path dir = newDirectory();
        writeStack(dir, server, false, eventsDb, readDb, ownerPassword);
        return dir;
    }

    public static Path newDirectory() throws IOException {
        Path dir = Path.of("target", "local-stack-" + UUID.randomUUID().toString().substring(0, 8), ".scoreboard")
                .toAbsolutePath();
        return Files.createDirectories(dir);
    }

    private static void writeStack(Path dir, PostgresServer server, boolean embedded, String eventsDb, String readDb,
                                   String ownerPassword) throws IOException {
        JsonMapper json = JsonMapper.builder().build();
        ObjectNode stack = json.createObjectNode();
        stack.put("pid", ProcessHandle.current().pid() + 1_000_000); // the stack that wrote it has ended
        stack.put("environment", "dev");
        ObjectNode pg = stack.putObject("postgres");
        pg.put("embedded", embedded);
        pg.put("url", "jdbc:postgresql://" + server.host() + ":" + server.port() + "/");
        pg.putObject("databases").put("events", eventsDb).put("read", readDb)
                .put("eventsUrl", server.jdbcUrl(eventsDb)).put("readUrl", server.jdbcUrl(readDb));
        pg.putObject("ownerRole").put("user", "scoreboard_owner").put("password", ownerPassword);
        stack.putObject("kafka").put("embedded", true).put("bootstrapServers", "127.0.0.1:9")
                .put("topic", "scoreboard-events");
        Files.writeString(dir.resolve("stack.json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(stack));
    }
}
