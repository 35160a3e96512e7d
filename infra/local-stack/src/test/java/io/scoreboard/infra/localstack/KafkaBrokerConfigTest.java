package io.scoreboard.infra.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaBrokerConfigTest {

    private static final Path LOGS = Path.of("/data");

    @Test
    void everyNodeOfACluster_isBrokerAndController_withTheSameVoters() {
        List<KafkaNodePorts> nodes = KafkaNodePorts.consecutive(3, 19092);

        Properties second = KafkaBrokerConfig.serverProperties(LOGS, 1, nodes);

        assertThat(second.getProperty("process.roles")).isEqualTo("broker,controller");
        assertThat(second.getProperty("node.id")).isEqualTo("2");
        assertThat(second.getProperty("listeners"))
                .isEqualTo("PLAINTEXT://127.0.0.1:19094,CONTROLLER://127.0.0.1:19095");
        assertThat(second.getProperty("advertised.listeners")).isEqualTo("PLAINTEXT://127.0.0.1:19094");
        String voters = "1@127.0.0.1:19093,2@127.0.0.1:19095,3@127.0.0.1:19097";
        for (int i = 0; i < 3; i++) {
            assertThat(KafkaBrokerConfig.serverProperties(LOGS, i, nodes).getProperty("controller.quorum.voters"))
                    .isEqualTo(voters);
        }
    }

    @Test
    void threeNodes_replicateEverythingThreeTimes_andNeedTwoInSync() {
        Properties p = KafkaBrokerConfig.serverProperties(LOGS, 0, KafkaNodePorts.consecutive(3, 19092));

        assertThat(p.getProperty("default.replication.factor")).isEqualTo("3");
        assertThat(p.getProperty("min.insync.replicas")).isEqualTo("2");
        assertThat(p.getProperty("offsets.topic.replication.factor")).isEqualTo("3");
        assertThat(p.getProperty("transaction.state.log.replication.factor")).isEqualTo("3");
        assertThat(p.getProperty("transaction.state.log.min.isr")).isEqualTo("2");
        assertThat(p.getProperty("unclean.leader.election.enable")).isEqualTo("false");
    }

    @Test
    void oneNode_isTheSingleBrokerItAlwaysWas() {
        Properties p = KafkaBrokerConfig.serverProperties(LOGS, 0, List.of(new KafkaNodePorts(19092, 19093)));

        assertThat(p.getProperty("node.id")).isEqualTo("1");
        assertThat(p.getProperty("controller.quorum.voters")).isEqualTo("1@127.0.0.1:19093");
        assertThat(p.getProperty("default.replication.factor")).isEqualTo("1");
        assertThat(p.getProperty("min.insync.replicas")).isEqualTo("1");
        assertThat(p.getProperty("transaction.state.log.min.isr")).isEqualTo("1");
        assertThat(p.getProperty("log.dirs")).isEqualTo("/data");
    }

    @Test
    void twoNodes_needTwoInSync_whichIsBoth() {
        Properties p = KafkaBrokerConfig.serverProperties(LOGS, 0, KafkaNodePorts.consecutive(2, 19092));

        assertThat(p.getProperty("default.replication.factor")).isEqualTo("2");
        assertThat(p.getProperty("min.insync.replicas")).isEqualTo("2");
    }
}
