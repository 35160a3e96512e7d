package io.scoreboard.query.projection;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * The event topic's end offsets, looked up once for everybody who is waiting (docs/adr/0018): the
 * broker sees at most one look (two Admin requests) per {@code scoreboard.query.end-offsets-interval},
 * however many reads wait.
 */
final class TopicEndOffsets extends SharedLook<Map<TopicPartition, Long>> {

    TopicEndOffsets(EndOffsetReader reader, Duration minInterval) {
        super("topic-end-offsets", reader::read, minInterval);
    }
}
