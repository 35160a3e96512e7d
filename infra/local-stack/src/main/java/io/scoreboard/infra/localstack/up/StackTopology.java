package io.scoreboard.infra.localstack.up;

import io.scoreboard.infra.database.ScoreboardDatabase;
import io.scoreboard.infra.localstack.KafkaNodePorts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code ./scoreboard up} runs: one Kafka broker and one instance of each service, or with
 * {@code --cluster} what production runs — three Kafka nodes (replication factor 3, min.insync.replicas 2)
 * and two instances of each service (docs/adr/0036). The cluster has its own Kafka directory and its own
 * databases, so switching between the two never mixes their data.
 *
 * @param kafkaNodes   the embedded Kafka nodes' ports (ignored when SCOREBOARD_KAFKA names a Kafka)
 * @param kafkaDir     where the embedded Kafka keeps its data
 * @param commandPorts one port per command-service instance
 * @param queryPorts   one port per query-service instance
 */
public record StackTopology(
        boolean cluster,
        List<KafkaNodePorts> kafkaNodes,
        Path kafkaDir,
        String eventsDatabase,
        String readDatabase,
        List<Integer> commandPorts,
        List<Integer> queryPorts) {

    public static final int CLUSTER_NODES = 3;
    public static final int CLUSTER_INSTANCES = 2;

    /** One broker, one command service, one query service. */
    public static StackTopology single(StackSettings settings) {
        return new StackTopology(false, List.of(new KafkaNodePorts(settings.kafkaPort(), settings.kafkaPort() + 1)),
                settings.dataDir().resolve("kafka"), ScoreboardDatabase.EVENTS.defaultName(),
                ScoreboardDatabase.READ.defaultName(), List.of(settings.commandPort()), List.of(settings.queryPort()));
    }

    /**
     * Three Kafka nodes on SCOREBOARD_KAFKA_PORT and the five ports after it; command services on
     * SCOREBOARD_COMMAND_PORT and that + 2, query services on SCOREBOARD_QUERY_PORT and that + 2 (by default
     * 8081, 8083 and 8082, 8084).
     *
     * @throws IllegalArgumentException when SCOREBOARD_KAFKA is set, or the ports overlap or run past 65535
     */
    public static StackTopology cluster(StackSettings settings) {
        if (settings.externalKafka() != null) {
            throw new IllegalArgumentException("--cluster runs its own three Kafka brokers, but SCOREBOARD_KAFKA="
                    + settings.externalKafka() + " names an existing Kafka. Fix: unset SCOREBOARD_KAFKA, or run "
                    + "./scoreboard up without --cluster against that Kafka.");
        }
        Map<Integer, String> used = new LinkedHashMap<>();
        List<KafkaNodePorts> nodes = KafkaNodePorts.consecutive(CLUSTER_NODES, settings.kafkaPort());
        for (int i = 0; i < nodes.size(); i++) {
            claim(used, nodes.get(i).port(), "SCOREBOARD_KAFKA_PORT+" + (2 * i) + " (Kafka node " + (i + 1) + ")");
            claim(used, nodes.get(i).controllerPort(), "SCOREBOARD_KAFKA_PORT+" + (2 * i + 1) + " (Kafka node "
                    + (i + 1) + " controller)");
        }
        List<Integer> commandPorts = instancePorts(used, settings.commandPort(), "SCOREBOARD_COMMAND_PORT",
                "command service");
        List<Integer> queryPorts = instancePorts(used, settings.queryPort(), "SCOREBOARD_QUERY_PORT", "query service");
        if (settings.externalPostgres() == null) {
            claim(used, settings.postgresPort(), "SCOREBOARD_POSTGRES_PORT (embedded PostgreSQL)");
        }
        return new StackTopology(true, nodes, settings.dataDir().resolve("kafka-cluster"),
                ScoreboardDatabase.EVENTS.defaultName() + "_cluster", ScoreboardDatabase.READ.defaultName() + "_cluster",
                commandPorts, queryPorts);
    }

    /** How the stack names the instance at {@code index} of a service ("command-service", "command-service-2"). */
    public String instanceName(String service, int index) {
        return cluster ? service + "-" + (index + 1) : service;
    }

    /** How the stack names Kafka node {@code index} ("Kafka" alone, else "kafka-1", …, as its node.id). */
    public String kafkaName(int index) {
        return cluster ? "kafka-" + (index + 1) : "Kafka";
    }

    /** Replication factor and min.insync.replicas of the event topic the command service creates. */
    public int replicationFactor() {
        return kafkaNodes.size();
    }

    public int minInsyncReplicas() {
        return Math.min(2, kafkaNodes.size());
    }

    private static List<Integer> instancePorts(Map<Integer, String> used, int first, String setting, String what) {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < CLUSTER_INSTANCES; i++) {
            int port = first + 2 * i;
            claim(used, port, (i == 0 ? setting : setting + "+" + (2 * i)) + " (" + what + " " + (i + 1) + ")");
            ports.add(port);
        }
        return List.copyOf(ports);
    }

    private static void claim(Map<Integer, String> used, int port, String setting) {
        if (port > 65535) {
            throw new IllegalArgumentException(setting + " would be port " + port + ", past 65535. Fix: choose a "
                    + "lower base port.");
        }
        String other = used.putIfAbsent(port, setting);
        if (other != null) {
            throw new IllegalArgumentException("--cluster would use port " + port + " twice: for " + other + " and for "
                    + setting + ". Fix: move one of the base ports (SCOREBOARD_KAFKA_PORT uses it and the next five, "
                    + "SCOREBOARD_COMMAND_PORT and SCOREBOARD_QUERY_PORT it and that + 2).");
        }
    }
}
