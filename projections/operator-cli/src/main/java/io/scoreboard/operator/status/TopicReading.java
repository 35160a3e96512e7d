package io.scoreboard.operator.status;

import io.scoreboard.operator.source.TopicEvents;
import java.time.Duration;
import java.util.Map;

/**
 * The topic's offsets. Records, not events: the topic holds each event at least once.
 *
 * @param exists false when the topic is missing (deleted): a state to show, not a failure to read
 */
record TopicReading(String name, boolean exists, Map<Integer, Long> beginOffsets, Map<Integer, Long> endOffsets) {

    /** @param timeout how long Kafka may take to answer (status answers quickly when it is down) */
    static TopicReading read(String bootstrap, String topic, Duration timeout) {
        try (TopicEvents events = new TopicEvents(bootstrap, topic, timeout, null)) {
            if (!events.exists()) {
                return new TopicReading(topic, false, Map.of(), Map.of());
            }
            return new TopicReading(topic, true, events.beginningOffsets(), events.endOffsets());
        }
    }

    long records() {
        return endOffsets.entrySet().stream()
                .mapToLong(e -> e.getValue() - beginOffsets.getOrDefault(e.getKey(), 0L)).sum();
    }
}
