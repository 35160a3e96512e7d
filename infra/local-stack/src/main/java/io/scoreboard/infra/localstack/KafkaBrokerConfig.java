package io.scoreboard.infra.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * The files a KRaft node runs with. Every node is a broker and a controller in one process (combined
 * mode, docs/adr/0036): one node for {@link EmbeddedKafka}, several for {@link EmbeddedKafkaCluster},
 * all voters of one controller quorum.
 */
final class KafkaBrokerConfig {

    private KafkaBrokerConfig() {
    }

    /** The node.id of the node at {@code index}: 1, 2, 3 … (a single broker is node 1, as its stored data says). */
    static int nodeId(int index) {
        return index + 1;
    }

    /** The index of the node with {@code nodeId}: the inverse of {@link #nodeId}. */
    static int index(int nodeId) {
        return nodeId - 1;
    }

    /**
     * server.properties for the node at {@code index} of {@code nodes}, its logs in {@code logDir}.
     * Topics and the internal topics get one replica per node and need min(2, nodes) in sync, so an
     * acknowledged write survives the loss of any one node once there are three.
     */
    static Properties serverProperties(Path logDir, int index, List<KafkaNodePorts> nodes) {
        KafkaNodePorts own = nodes.get(index);
        String replicas = Integer.toString(nodes.size());
        String minInsync = Integer.toString(Math.min(2, nodes.size()));
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", Integer.toString(nodeId(index)));
        p.setProperty("controller.quorum.voters", quorumVoters(nodes));
        // KRaft ignores "port"-style settings: every listener is spelled out, on loopback only.
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + own.port() + ",CONTROLLER://127.0.0.1:"
                + own.controllerPort());
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + own.port());
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("log.dirs", logDir.toString());
        // Internal topics cannot have more replicas than there are nodes.
        p.setProperty("offsets.topic.replication.factor", replicas);
        p.setProperty("transaction.state.log.replication.factor", replicas);
        p.setProperty("transaction.state.log.min.isr", minInsync);
        p.setProperty("default.replication.factor", replicas);
        p.setProperty("min.insync.replicas", minInsync);
        // A replica that missed acknowledged writes never becomes leader: a partition waits for an in-sync one.
        p.setProperty("unclean.leader.election.enable", "false");
        // Fewer internal partitions: the first consumer group and transaction start in a blink.
        p.setProperty("offsets.topic.num.partitions", "1");
        p.setProperty("transaction.state.log.num.partitions", "1");
        // Consumers join without the 3 s wait meant for groups that start member by member.
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        // Topics are created on purpose, with their retention and partitions, never by a typo.
        p.setProperty("auto.create.topics.enable", "false");
        // The default 128 MB dedupe buffer would take a quarter of the small heap.
        p.setProperty("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024));
        return p;
    }

    /** The same for every node: {@code 1@127.0.0.1:<controller port>,2@…}. */
    static String quorumVoters(List<KafkaNodePorts> nodes) {
        StringBuilder voters = new StringBuilder();
        for (int i = 0; i < nodes.size(); i++) {
            voters.append(i == 0 ? "" : ",").append(nodeId(i)).append("@127.0.0.1:").append(nodes.get(i).controllerPort());
        }
        return voters.toString();
    }

    static void write(Properties properties, Path file) {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            properties.store(out, "written by the local stack on every start of this node; edits are overwritten");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Logback settings for the broker JVM: INFO, without the pages of config dumps. */
    static void writeLogging(Path file) {
        String xml = """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
                  </appender>
                  <logger name="org.apache.kafka.common.config.AbstractConfig" level="WARN"/>
                  <logger name="kafka.server.KafkaConfig" level="WARN"/>
                  <logger name="org.apache.kafka.common.utils.AppInfoParser" level="WARN"/>
                  <logger name="state.change.logger" level="WARN"/>
                  <root level="INFO"><appender-ref ref="OUT"/></root>
                </configuration>
                """;
        try {
            Files.writeString(file, xml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
