package io.scoreboard.command.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.junit.jupiter.api.Test;

class TopicGuardTest {

    private static Config config(String retentionMs, String retentionBytes, String cleanupPolicy) {
        return new Config(List.of(new ConfigEntry("retention.ms", retentionMs),
                new ConfigEntry("retention.bytes", retentionBytes),
                new ConfigEntry("cleanup.policy", cleanupPolicy)));
    }

    @Test
    void acceptsInfiniteRetentionWithoutCompaction() {
        assertThat(TopicGuard.problems(config("-1", "-1", "delete"))).isEmpty();
    }

    @Test
    void refusesFiniteRetention() {
        assertThat(TopicGuard.problems(config("604800000", "-1", "delete")))
                .containsExactly("retention.ms is 604800000 (finite), must be -1");
    }

    @Test
    void refusesSizeBoundRetention() {
        assertThat(TopicGuard.problems(config("-1", "1073741824", "delete")))
                .containsExactly("retention.bytes is 1073741824 (finite), must be -1");
    }

    @Test
    void refusesCompaction() {
        assertThat(TopicGuard.problems(config("-1", "-1", "compact,delete")))
                .singleElement().asString().startsWith("cleanup.policy is 'compact,delete'");
    }
}
