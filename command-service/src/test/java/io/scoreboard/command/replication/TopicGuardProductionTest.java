package io.scoreboard.command.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scoreboard.startup.ProductionTopicSafety;
import io.scoreboard.startup.UnsafeTopicRefusedException;
import io.scoreboard.testsupport.TestDatabases;
import io.scoreboard.testsupport.TestKafka;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A production environment refuses the real single broker's topic (replication factor 1, and the broker's default
 * min.insync.replicas of 1, which the topic does not override), read from Kafka; the same topic serves a
 * non-production environment (ADR 0034).
 */
class TopicGuardProductionTest {

    private TestDatabases databases;
    private Admin admin;
    private String topic;

    @BeforeEach
    void start() {
        databases = TestDatabases.create();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()));
        topic = TestKafka.uniqueTopic("production");
    }

    @AfterEach
    void stop() {
        admin.close();
        databases.close();
    }

    private void createSingleReplicaTopic() throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1).configs(Map.of("retention.ms", "-1"))))
                .all().get(30, TimeUnit.SECONDS);
    }

    private TopicGuard guard(boolean production) {
        JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(databases.eventsJdbcUrl(),
                databases.appRole().user(), databases.appRole().password()));
        return new TopicGuard(admin, new KafkaProperties(TestKafka.bootstrapServers(), topic, 3, (short) 1, 1),
                new EventPositions(jdbc), new StoredReplicatorToken(jdbc), databases.environment(), production);
    }

    @Test
    void production_refusesTheSingleBrokersTopic_asKafkaReportsIt() throws Exception {
        createSingleReplicaTopic();

        assertThatThrownBy(() -> guard(true).afterPropertiesSet())
                .isInstanceOfSatisfying(UnsafeTopicRefusedException.class, refused -> {
                    assertThat(refused.getMessage()).contains("in production")
                            .contains("has 1 replica, production needs at least 3")
                            .contains("min.insync.replicas is 1 (the brokers' default");
                    assertThat(refused.setting()).isEqualTo(ProductionTopicSafety.SERVICE_SETTING);
                    assertThat(refused.fix()).contains("min.insync.replicas=2").contains("--entity-name " + topic);
                });
    }

    @Test
    void notProduction_usesTheSameTopic() throws Exception {
        createSingleReplicaTopic();

        assertThatCode(() -> guard(false).afterPropertiesSet()).doesNotThrowAnyException();
        assertThatCode(() -> guard(false).requireUsableTopic()).doesNotThrowAnyException();
    }

    @Test
    void production_refusesToCreateATopicWithUnsafeSettings_andCreatesNothing() throws Exception {
        assertThatThrownBy(() -> guard(true).afterPropertiesSet())
                .isInstanceOf(UnsafeTopicRefusedException.class)
                .hasMessageContaining("scoreboard.kafka.replication-factor is 1, production needs at least 3")
                .hasMessageContaining("scoreboard.kafka.min-insync-replicas is 1, production needs at least 2");
        Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        assertThat(topics).doesNotContain(topic);
    }

    @Test
    void production_recheckRefusesATopicThatBecameUnsafe() throws Exception {
        // What the replicator calls on taking the claim and every minute: the topic as it is now.
        createSingleReplicaTopic();

        assertThatThrownBy(() -> guard(true).requireUsableTopic()).isInstanceOf(UnsafeTopicRefusedException.class)
                .hasMessageContaining("production needs at least 3");
    }

    @Test
    void notProduction_createsAMissingTopic_andReadsItBack() throws Exception {
        assertThatCode(() -> guard(false).afterPropertiesSet()).doesNotThrowAnyException();
        assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains(topic);
    }
}
