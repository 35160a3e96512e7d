package io.scoreboard.query.startup;

import io.scoreboard.query.projection.QueryKafkaProperties;
import io.scoreboard.startup.KafkaCheck;
import io.scoreboard.startup.TopicEnvironment;
import io.scoreboard.startup.TopicEnvironmentCheck;
import org.apache.kafka.clients.admin.Admin;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Value;
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
    private final String environment;

    KafkaReachableCheck(Admin admin, QueryKafkaProperties kafka, @Value("${scoreboard.environment:}") String environment) {
        this.admin = admin;
        this.kafka = kafka;
        this.environment = environment;
    }

    @Override
    public void afterPropertiesSet() {
        KafkaCheck.requireReachable(admin, kafka.bootstrapServers());
        new TopicEnvironmentCheck(admin, kafka.bootstrapServers(), kafka.topic(), TopicEnvironment.Settings.SERVICE)
                .require(environment, TopicEnvironment.Use.OWN);
    }
}
