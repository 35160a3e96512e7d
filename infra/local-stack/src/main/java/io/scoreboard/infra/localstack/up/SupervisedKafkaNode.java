package io.scoreboard.infra.localstack.up;

import io.scoreboard.infra.localstack.EmbeddedKafkaCluster;
import java.nio.file.Path;

/**
 * One node of the embedded Kafka cluster under the supervisor: restarted on its own data and ports,
 * where it rejoins the quorum and catches up its replicas. The stack closes the cluster as a whole.
 */
final class SupervisedKafkaNode implements SupervisedChild {

    private final EmbeddedKafkaCluster cluster;
    private final int index;
    private final String name;

    SupervisedKafkaNode(EmbeddedKafkaCluster cluster, int index, String name) {
        this.cluster = cluster;
        this.index = index;
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long pid() {
        return cluster.pid(index);
    }

    @Override
    public boolean isAlive() {
        return cluster.isRunning(index);
    }

    @Override
    public int exitCode() {
        return cluster.exitCode(index);
    }

    @Override
    public Path logFile() {
        return cluster.logFile(index);
    }

    @Override
    public void restart(int restart) {
        cluster.restart(index);
    }

    /** Stops this node alone; {@link EmbeddedKafkaCluster#close()} stops all of them together. */
    @Override
    public void close() {
        cluster.stop(index);
    }
}
