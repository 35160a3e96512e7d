package io.scoreboard.query.projection;

import io.scoreboard.startup.TopicEnvironment;
import io.scoreboard.startup.TopicEnvironmentCheck;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Kafka's id of the topic's current incarnation. A topic deleted and recreated under the same name
 * gets a new id and restarts its offsets, so offsets are only meaningful together with the id. The
 * runner asks for it whenever it is assigned partitions, so it is also where every new incarnation's
 * environment is checked ({@link #checked}) before a record of it is applied.
 */
@FunctionalInterface
interface TopicIdentity {

    /** The current id; empty when the topic does not exist. Throws when Kafka cannot be asked. */
    Optional<String> current() throws Exception;

    static TopicIdentity of(Admin admin, String topic) {
        return () -> {
            try {
                return Optional.of(admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
                        .get(topic).topicId().toString());
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    return Optional.empty();
                }
                throw e;
            }
        };
    }

    /**
     * {@code ids}, and once per new topic id: the topic belongs to {@code environment} (a new, empty one
     * is recorded for it). Throws {@link io.scoreboard.startup.TopicEnvironmentRefusedException} when it
     * belongs to another environment or holds events nobody recorded.
     */
    static TopicIdentity checked(TopicIdentity ids, TopicEnvironmentCheck environmentCheck, String environment) {
        AtomicReference<String> checked = new AtomicReference<>();
        return () -> {
            Optional<String> id = ids.current();
            if (id.isPresent() && !id.get().equals(checked.get())) {
                environmentCheck.require(environment, TopicEnvironment.Use.OWN);
                checked.set(id.get());
            }
            return id;
        };
    }
}
