package io.scoreboard.infra.localstack;

import java.util.ArrayList;
import java.util.List;

/** The two ports of one Kafka node on 127.0.0.1: clients connect to {@code port}, the quorum to {@code controllerPort}. */
public record KafkaNodePorts(int port, int controllerPort) {

    public KafkaNodePorts {
        if (port == controllerPort) {
            throw new IllegalArgumentException("a Kafka node's port and controller port must differ (both " + port + ")");
        }
    }

    /** {@code nodes} nodes on consecutive ports from {@code firstPort}: node i listens on firstPort + 2i, its controller on the next. */
    public static List<KafkaNodePorts> consecutive(int nodes, int firstPort) {
        List<KafkaNodePorts> ports = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            ports.add(new KafkaNodePorts(firstPort + 2 * i, firstPort + 2 * i + 1));
        }
        return List.copyOf(ports);
    }
}
