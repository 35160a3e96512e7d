package io.scoreboard.query.projection;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Kafka's id of the topic's current incarnation. A topic deleted and recreated under the same name
 * gets a new id and restarts its offsets, so offsets are only meaningful together with the id. The
 * runner asks for it whenever it is assigned partitions, so it is also where every new incarnation's
 * environment is checked ({@link QueryTopicEnvironment#checking}) before a record of it is applied.
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
}
