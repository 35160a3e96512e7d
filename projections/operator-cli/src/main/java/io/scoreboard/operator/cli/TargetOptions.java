package io.scoreboard.operator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scoreboard.startup.DatabaseRoles;
import io.scoreboard.startup.EnvironmentVariables;
import io.scoreboard.startup.EventTopicSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where the databases and the broker are. Each setting comes from its flag, else its environment
 * variable, else the local stack's {@code stack.json} (written by {@code ./scoreboard up}); a
 * setting found nowhere stops the command with the flag and variable to set.
 */
public final class TargetOptions {

    static final String DEFAULT_STACK = ".scoreboard/stack.json";

    @Option(names = "--environment", paramLabel = "<env>",
            description = "The environment this run is meant for (dev, staging, prod, ...); databases of another "
                    + "environment are refused. Env: " + EnvironmentVariables.ENVIRONMENT)
    String environment;

    @Option(names = "--events-url", paramLabel = "<jdbc-url>",
            description = "JDBC URL of the event store database. Env: " + EnvironmentVariables.EVENTS_URL)
    String eventsUrl;

    @Option(names = "--read-url", paramLabel = "<jdbc-url>",
            description = "JDBC URL of the read database. Env: " + EnvironmentVariables.READ_URL)
    String readUrl;

    @Option(names = "--db-user", paramLabel = "<role>",
            description = "Role to connect as; rebuild and restore need the owner role. Env: "
                    + EnvironmentVariables.DB_USER + " (default: " + DatabaseRoles.OWNER + ")")
    String dbUser;

    @Option(names = "--db-password", paramLabel = "<password>",
            description = "Its password. Env: " + EnvironmentVariables.DB_PASSWORD)
    String dbPassword;

    @Option(names = "--kafka", paramLabel = "<host:port>",
            description = "Kafka bootstrap servers. Env: " + EnvironmentVariables.KAFKA)
    String kafka;

    @Option(names = "--topic", paramLabel = "<name>",
            description = "The event topic. Env: " + EnvironmentVariables.TOPIC + " (default: "
                    + EventTopicSettings.DEFAULT_TOPIC + ")")
    String topic;

    @Option(names = "--production",
            description = "This environment is production: refuse an event topic with fewer than 3 replicas or "
                    + "min.insync.replicas below 2 (ADR 0034). Env: " + EnvironmentVariables.PRODUCTION + "=true")
    boolean production;

    @Option(names = "--stack", paramLabel = "<file>",
            description = "The local stack's description, used for any setting not given otherwise "
                    + "(default: " + DEFAULT_STACK + ")")
    Path stack;

    /** Resolves against the process environment. */
    public Target resolve() {
        return resolve(System.getenv());
    }

    Target resolve(Map<String, String> env) {
        Path stackFile = stack != null ? stack : Path.of(DEFAULT_STACK);
        Optional<JsonNode> stackJson = readStack(stackFile, stack != null);
        String origin = stackJson.isPresent() ? "flags, SCOREBOARD_* variables and " + stackFile : "flags and SCOREBOARD_* variables";
        String resolvedEnvironment = first(environment, env.get(EnvironmentVariables.ENVIRONMENT),
                stackJson.map(j -> j.path("environment").asText(null)).orElse(null));
        String events = first(eventsUrl, env.get(EnvironmentVariables.EVENTS_URL),
                stackJson.map(j -> j.path("postgres").path("databases").path("eventsUrl").asText(null)).orElse(null));
        String read = first(readUrl, env.get(EnvironmentVariables.READ_URL),
                stackJson.map(j -> j.path("postgres").path("databases").path("readUrl").asText(null)).orElse(null));
        String user = first(dbUser, env.get(EnvironmentVariables.DB_USER),
                stackJson.map(j -> j.path("postgres").path("ownerRole").path("user").asText(null)).orElse(null),
                DatabaseRoles.OWNER);
        String password = first(dbPassword, env.get(EnvironmentVariables.DB_PASSWORD),
                stackJson.map(j -> j.path("postgres").path("ownerRole").path("password").asText(null)).orElse(null));
        String bootstrap = first(kafka, env.get(EnvironmentVariables.KAFKA),
                stackJson.map(j -> j.path("kafka").path("bootstrapServers").asText(null)).orElse(null));
        String topicName = first(topic, env.get(EnvironmentVariables.TOPIC),
                stackJson.map(j -> j.path("kafka").path("topic").asText(null)).orElse(null),
                EventTopicSettings.DEFAULT_TOPIC);
        require(resolvedEnvironment, "--environment", EnvironmentVariables.ENVIRONMENT);
        require(events, "--events-url", EnvironmentVariables.EVENTS_URL);
        require(read, "--read-url", EnvironmentVariables.READ_URL);
        require(bootstrap, "--kafka", EnvironmentVariables.KAFKA);
        Optional<Path> dataDir = stackJson.map(j -> stackFile.toAbsolutePath().getParent());
        boolean isProduction = production || Boolean.parseBoolean(env.get(EnvironmentVariables.PRODUCTION));
        return new Target(resolvedEnvironment, events, read, user, password, bootstrap, topicName, dataDir, origin,
                isProduction);
    }

    private static Optional<JsonNode> readStack(Path file, boolean explicit) {
        if (!Files.exists(file)) {
            if (explicit) {
                throw new OperatorException(ExitCode.USAGE, "--stack " + file + ": no such file",
                        "point --stack at the stack.json that ./scoreboard up wrote, or leave it out");
            }
            return Optional.empty();
        }
        try {
            return Optional.of(new ObjectMapper().readTree(file.toFile()));
        } catch (IOException e) {
            throw new OperatorException(ExitCode.USAGE, "cannot read " + file + ": " + e.getMessage(),
                    "restart the local stack (./scoreboard up rewrites it) or pass the settings as flags");
        }
    }

    private static String first(String... candidates) {
        for (String c : candidates) {
            if (c != null && !c.isBlank()) {
                return c;
            }
        }
        return null;
    }

    private static void require(String value, String flag, String variable) {
        if (value == null) {
            throw new OperatorException(ExitCode.USAGE, "no " + flag.substring(2) + " is configured",
                    "pass " + flag + " or set " + variable + " (or run against the local stack, whose "
                            + DEFAULT_STACK + " holds every setting)");
        }
    }
}
