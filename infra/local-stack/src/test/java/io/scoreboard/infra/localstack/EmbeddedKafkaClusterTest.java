package io.scoreboard.infra.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the cluster refuses before it starts anything (its behaviour under faults: TestKafkaClusterTest). */
class EmbeddedKafkaClusterTest {

    @TempDir
    Path dir;

    @Test
    void aDirectoryHoldingAClusterOfAnotherSize_isRefused_namingBothSizesAndTheFix() throws Exception {
        Files.writeString(dir.resolve("cluster.properties"), "cluster.id=abc\nnodes=3\n");

        assertThatThrownBy(() -> EmbeddedKafkaCluster.start(dir, List.of(new KafkaNodePorts(Ports.findFree(), 1))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("has 3 nodes, not 1")
                .hasMessageContaining("Fix: start it with 3 nodes");
        assertThat(dir.resolve("node-1")).doesNotExist();
    }

    @Test
    void portsThatRepeat_areRefused() {
        assertThatThrownBy(() -> EmbeddedKafkaCluster.start(dir,
                List.of(new KafkaNodePorts(20000, 20001), new KafkaNodePorts(20001, 20002))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must all differ");
    }

    @Test
    void consecutivePorts_giveEachNodeAPortAndTheNextForItsController() {
        assertThat(KafkaNodePorts.consecutive(3, 19092)).containsExactly(new KafkaNodePorts(19092, 19093),
                new KafkaNodePorts(19094, 19095), new KafkaNodePorts(19096, 19097));
    }
}
