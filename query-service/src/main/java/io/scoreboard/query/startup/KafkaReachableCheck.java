package io.scoreboard.query.startup;

import io.scoreboard.query.projection.QueryKafkaProperties;
import io.scoreboard.startup.KafkaCheck;
import org.apache.kafka.clients.admin.Admin;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/** Refuses to start, naming the setting, when the configured Kafka brokers do not answer. */
@Component
class KafkaReachableCheck implements InitializingBean {

    private final Admin admin;
    private final QueryKafkaProperties kafka;

    KafkaReachableCheck(Admin admin, QueryKafkaProperties kafka) {
        this.admin = admin;
        this.kafka = kafka;
    }

    @Override
    public void afterPropertiesSet() {
        KafkaCheck.requireReachable(admin, kafka.bootstrapServers());
    }
}
