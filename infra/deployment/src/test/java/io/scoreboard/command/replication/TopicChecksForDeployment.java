package io.scoreboard.command.replication;

import java.util.List;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;

/** The command service's own start-up check of a topic on a cluster (TopicGuard), for the manifests' tests. */
public final class TopicChecksForDeployment {

    private TopicChecksForDeployment() {}

    public static List<String> clusterProblems(TopicDescription topic, Config config, KafkaProperties kafka) {
        return TopicGuard.clusterProblems(topic, config, kafka);
    }
}
