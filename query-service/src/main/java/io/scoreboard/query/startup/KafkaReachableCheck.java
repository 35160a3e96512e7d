package io.scoreboard.query.startup;

import io.scoreboard.query.projection.QueryKafkaProperties;
import io.scoreboard.query.projection.QueryTopicEnvironment;
import io.scoreboard.startup.KafkaCheck;
import org.apache.kafka.clients.admin.Admin;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.annotation.DependsOn;
import org.springframework.stereotype.Component;

/**
 * Refuses to start, naming the setting, when the configured Kafka brokers do not answer, or when the
 * topic belongs to another environment (ADR 0017): before the projection runner joins its consumer
 * group or reads a record. A topic that does not exist yet is checked by the runner when it appears.
 */
@Component
// The read database's environment first: nothing is recorded on a topic for a process pointed at the wrong database.
@DependsOn("readDatabaseCheck")
class KafkaReachableCheck implements InitializingBean {

    private final Admin admin;
    private final QueryKafkaProperties kafka;
    private final QueryTopicEnvironment topicEnvironment;

    KafkaReachableCheck(Admin admin, QueryKafkaProperties kafka, QueryTopicEnvironment topicEnvironment) {
        this.admin = admin;
        this.kafka = kafka;
        this.topicEnvironment = topicEnvironment;
    }

    @Override
    public void afterPropertiesSet() {
        KafkaCheck.requireReachable(admin, kafka.bootstrapServers());
        topicEnvironment.requireAtStartUp();
    }
}
