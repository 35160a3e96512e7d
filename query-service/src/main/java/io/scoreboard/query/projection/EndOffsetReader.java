package io.scoreboard.query.projection;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * One look at the event topic's end: the last stable offset of every partition that holds anything
 * (what a read_committed consumer can reach). Each call costs the broker two Admin requests, so only
 * {@link TopicEndOffsets} calls it, at a bounded rate shared by every waiting request.
 */
@FunctionalInterface
interface EndOffsetReader {

    /** The end offsets now; empty for an empty topic or one not created yet (nothing to wait for). */
    Map<TopicPartition, Long> read() throws Exception;

    /** Bounds one look at the topic: a wait that needs it longer has run out of time anyway. */
    long TIMEOUT_MILLIS = 10_000;

    static EndOffsetReader of(Admin admin, String topic) {
        return () -> {
            try {
                TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                        .get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).get(topic);
                Map<TopicPartition, OffsetSpec> request = new HashMap<>();
                description.partitions().forEach(p -> request.put(new TopicPartition(topic, p.partition()),
                        OffsetSpec.latest()));
                Map<TopicPartition, Long> result = new HashMap<>();
                admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                        .get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                        .forEach((tp, info) -> {
                            if (info.offset() > 0) {
                                result.put(tp, info.offset());
                            }
                        });
                return result;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    return Map.of();
                }
                throw e;
            }
        };
    }
}
