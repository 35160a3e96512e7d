package io.scoreboard.operator.restore;

import io.scoreboard.operator.cli.OperatorException;
import io.scoreboard.operator.source.TopicEvents;
import io.scoreboard.startup.EnvironmentVariables;
import java.util.List;
import java.util.Map;

/**
 * The fixed stretch of the topic a restore reads: every partition from offset 0 to its end when
 * the restore started. Refuses a topic that cannot be a complete history: missing, empty, or with
 * records removed from its start (retention or delete-records).
 *
 * @param partitions how many partitions the topic has
 * @param from       first offset of each partition (always 0 once checked)
 * @param to         end offset of each partition (exclusive)
 * @param records    records in the stretch, duplicates included
 */
record TopicExtent(int partitions, Map<Integer, Long> from, Map<Integer, Long> to, long records) {

    static TopicExtent of(TopicEvents topic, String bootstrap) {
        List<Integer> partitions = topic.partitions();
        if (partitions.isEmpty()) {
            throw OperatorException.refused("the topic '" + topic.topic() + "' does not exist on " + bootstrap
                    + ": there is nothing to restore from. Nothing was changed.",
                    "check --topic / " + EnvironmentVariables.TOPIC
                            + " and --kafka; if the topic is lost as well, the history can only "
                            + "come from a backup of the event store database");
        }
        Map<Integer, Long> from = topic.beginningOffsets();
        Map<Integer, Long> to = topic.endOffsets();
        for (Map.Entry<Integer, Long> first : from.entrySet()) {
            if (first.getValue() > 0) {
                throw OperatorException.refused("partition " + first.getKey() + " of topic '" + topic.topic()
                        + "' starts at offset " + first.getValue() + ": earlier records were deleted (retention or "
                        + "delete-records), so the topic is not the complete history. Nothing was changed.",
                        "restore from a backup of the event store database instead, and fix the topic's retention "
                                + "(retention.ms=-1, cleanup.policy=delete)");
            }
        }
        long records = 0;
        for (Map.Entry<Integer, Long> end : to.entrySet()) {
            records += end.getValue() - from.getOrDefault(end.getKey(), 0L);
        }
        if (records == 0) {
            throw OperatorException.refused("the topic '" + topic.topic() + "' on " + bootstrap + " is empty: there "
                    + "is nothing to restore from. Nothing was changed.",
                    "check --topic / " + EnvironmentVariables.TOPIC
                            + "; if the topic was recreated, the history can only come from a "
                            + "backup of the event store database");
        }
        return new TopicExtent(partitions.size(), from, to, records);
    }
}
