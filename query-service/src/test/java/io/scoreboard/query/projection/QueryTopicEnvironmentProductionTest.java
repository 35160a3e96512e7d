package io.scoreboard.query.projection;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scoreboard.startup.ProductionTopicSafety;
import io.scoreboard.startup.TopicEnvironment;
import io.scoreboard.startup.TopicEnvironmentCheck;
import io.scoreboard.startup.UnsafeTopicRefusedException;
import io.scoreboard.testsupport.TestKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The query service refuses the real single broker's topic in production, and uses it otherwise (ADR 0034). */
class QueryTopicEnvironmentProductionTest {

    private Admin admin;
    private String topic;

    @BeforeEach
    void aSingleReplicaTopic() throws Exception {
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()));
        topic = TestKafka.uniqueTopic("query-production");
        admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1).configs(Map.of("retention.ms", "-1"))))
                .all().get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() {
        admin.close();
    }

    private QueryTopicEnvironment topicEnvironment(boolean production) {
        ProductionTopicSafety safety = production ? new ProductionTopicSafety(admin, TestKafka.bootstrapServers(), topic,
                ProductionTopicSafety.SERVICE_SETTING, "scoreboard.kafka.bootstrap-servers", Duration.ofSeconds(20))
                : null;
        return new QueryTopicEnvironment(new TopicEnvironmentCheck(admin, TestKafka.bootstrapServers(), topic,
                TopicEnvironment.Settings.SERVICE), "test", safety);
    }

    @Test
    void production_refusesTheTopicAtStartUp() {
        assertThatThrownBy(() -> topicEnvironment(true).requireAtStartUp())
                .isInstanceOf(UnsafeTopicRefusedException.class)
                .hasMessageContaining("production needs at least 3")
                .hasMessageContaining("min.insync.replicas is 1 (the brokers' default");
    }

    @Test
    void notProduction_usesIt() {
        assertThatCode(() -> topicEnvironment(false).requireAtStartUp()).doesNotThrowAnyException();
    }
}
