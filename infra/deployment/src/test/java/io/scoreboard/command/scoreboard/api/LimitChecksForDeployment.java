package io.scoreboard.command.scoreboard.api;

import io.scoreboard.command.replication.ReplicatorSettings;
import java.util.List;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.util.unit.DataSize;

/**
 * The command service's own start-up check that the largest event fits the producer's and the topic's limits
 * (ReplicationLimitsCheck), with the limits bound from its configuration as the service binds them.
 */
public final class LimitChecksForDeployment {

    private LimitChecksForDeployment() {}

    public static List<String> problems(Binder service, long topicMaxMessageBytes, String topic) {
        DataSize maxEvent = service.bindOrCreate("scoreboard.limits", LimitsConfiguration.LimitsProperties.class)
                .maxEventSize();
        ReplicatorSettings replicator = service.bindOrCreate("scoreboard.replicator", ReplicatorSettings.class);
        return ReplicationLimitsCheck.problems(maxEvent.toBytes(), replicator.maxRequestSize().toBytes(),
                topicMaxMessageBytes, topic);
    }

    /** The producer's largest record, as the service binds it. */
    public static long producerMaxRequestSize(Binder service) {
        return service.bindOrCreate("scoreboard.replicator", ReplicatorSettings.class).maxRequestSize().toBytes();
    }
}
