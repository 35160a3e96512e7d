package io.scoreboard.command.replication;

import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Configuration;

/** How the replicator's processor behaves on failure (its metrics are in ReplicationStatus). */
@Configuration(proxyBeanMethods = false)
public class ReplicatorConfiguration {

    @Autowired
    void configureProcessor(EventProcessingConfigurer processing) {
        // Axon's default listener error handler logs and moves on: here that would skip an event
        // forever. Propagate instead, so the batch is rolled back and retried.
        processing.registerListenerInvocationErrorHandler(KafkaReplicator.PROCESSING_GROUP,
                configuration -> PropagatingErrorHandler.instance());
    }
}
