package io.scoreboard.infra.localstack.up;

import java.nio.file.Path;
import java.util.Map;

/**
 * What the local stack starts and where, from environment variables (all optional). A setting
 * that names an external server replaces the embedded one.
 *
 * <pre>
 * SCOREBOARD_POSTGRES            host:port of an existing PostgreSQL (superuser below); default: embedded
 * SCOREBOARD_POSTGRES_USER       its superuser (default postgres)
 * SCOREBOARD_POSTGRES_PASSWORD   its password (default none)
 * SCOREBOARD_POSTGRES_PORT       port of the embedded PostgreSQL (default 15432)
 * SCOREBOARD_KAFKA               bootstrap servers of an existing Kafka; default: embedded
 * SCOREBOARD_KAFKA_PORT          port of the embedded broker (default 19092; controller: +1)
 * SCOREBOARD_COMMAND_PORT        command service (default 8081)
 * SCOREBOARD_QUERY_PORT          query service (default 8082)
 * SCOREBOARD_COMMAND_HEAP        the command service's heap, passed as -Xmx (default 512m)
 * SCOREBOARD_QUERY_HEAP          the query service's heap, passed as -Xmx (default 512m)
 * SCOREBOARD_RATE_LIMITS         passed on to both services when set ({@code off}: no rate limits)
 * </pre>
 */
public record StackSettings(
        Path root,
        Path dataDir,
        String externalPostgres,
        String postgresUser,
        String postgresPassword,
        int postgresPort,
        String externalKafka,
        int kafkaPort,
        int commandPort,
        int queryPort,
        String commandHeap,
        String queryHeap,
        String rateLimits) {

    static final String DEFAULT_HEAP = "512m";
    private static final java.util.regex.Pattern HEAP = java.util.regex.Pattern.compile("[1-9][0-9]*[kKmMgG]");

    public static StackSettings fromEnvironment(Path root, Map<String, String> env) {
        return new StackSettings(root, root.resolve(".scoreboard"),
                blankToNull(env.get("SCOREBOARD_POSTGRES")),
                env.getOrDefault("SCOREBOARD_POSTGRES_USER", "postgres"),
                blankToNull(env.get("SCOREBOARD_POSTGRES_PASSWORD")),
                port(env, "SCOREBOARD_POSTGRES_PORT", 15432),
                blankToNull(env.get("SCOREBOARD_KAFKA")),
                port(env, "SCOREBOARD_KAFKA_PORT", 19092),
                port(env, "SCOREBOARD_COMMAND_PORT", 8081),
                port(env, "SCOREBOARD_QUERY_PORT", 8082),
                heap(env, "SCOREBOARD_COMMAND_HEAP"),
                heap(env, "SCOREBOARD_QUERY_HEAP"),
                blankToNull(env.get("SCOREBOARD_RATE_LIMITS")));
    }

    /** A size the JVM takes as -Xmx; a unit is required, so "512" cannot silently mean 512 bytes. */
    private static String heap(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return DEFAULT_HEAP;
        }
        if (!HEAP.matcher(value.strip()).matches()) {
            throw new IllegalArgumentException(name + "='" + value + "' is not a heap size. Fix: a number with a unit, "
                    + "e.g. 512m or 2g (it becomes the service's -Xmx), or unset it for the default " + DEFAULT_HEAP
                    + ".");
        }
        return value.strip();
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.strip());
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "='" + value + "' is not a port. Fix: set it to a number "
                    + "between 1 and 65535, or unset it for the default " + fallback + ".");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
