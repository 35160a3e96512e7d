package io.scoreboard.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class EventTopicSettingsTest {

    private static Config config(String retentionMs, String retentionBytes, String cleanupPolicy) {
        return new Config(List.of(new ConfigEntry("retention.ms", retentionMs),
                new ConfigEntry("retention.bytes", retentionBytes),
                new ConfigEntry("cleanup.policy", cleanupPolicy)));
    }

    @Test
    void acceptsInfiniteRetentionWithoutCompaction() {
        assertThat(EventTopicSettings.problems(config("-1", "-1", "delete"))).isEmpty();
    }

    @Test
    void refusesFiniteRetention() {
        assertThat(EventTopicSettings.problems(config("604800000", "-1", "delete")))
                .containsExactly("retention.ms is 604800000 (finite), must be -1");
    }

    @Test
    void refusesSizeBoundRetention() {
        assertThat(EventTopicSettings.problems(config("-1", "1073741824", "delete")))
                .containsExactly("retention.bytes is 1073741824 (finite), must be -1");
    }

    @Test
    void refusesCompaction() {
        assertThat(EventTopicSettings.problems(config("-1", "-1", "compact,delete")))
                .singleElement().asString().startsWith("cleanup.policy is 'compact,delete'");
    }

    @Test
    void aNewTopicHasExactlyTheSettingsTheCheckAccepts() {
        NewTopic topic = EventTopicSettings.newTopic("events", 6, (short) 3, 2);

        assertThat(topic.numPartitions()).isEqualTo(6);
        assertThat(topic.replicationFactor()).isEqualTo((short) 3);
        assertThat(topic.configs()).containsEntry("min.insync.replicas", "2");
        List<ConfigEntry> entries = topic.configs().entrySet().stream()
                .map(e -> new ConfigEntry(e.getKey(), e.getValue())).toList();
        assertThat(EventTopicSettings.problems(new Config(entries))).isEmpty();
    }
}
