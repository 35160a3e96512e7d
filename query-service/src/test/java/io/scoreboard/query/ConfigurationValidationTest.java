package io.scoreboard.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoreboard.query.projection.QueryKafkaProperties;
import io.scoreboard.query.projection.ReadYourWritesProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** Bad settings stop start-up with a message naming the setting and the fix. */
class ConfigurationValidationTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({QueryKafkaProperties.class, ReadYourWritesProperties.class})
    static class PropertiesOnly {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(PropertiesOnly.class);

    @Test
    void missingBootstrapServers_failsNamingTheSetting() {
        runner.run(context -> assertThat(context).getFailure()
                .rootCause().hasMessageContaining("scoreboard.kafka.bootstrap-servers")
                .hasMessageContaining("is required"));
    }

    @Test
    void nonPositiveTimeout_failsNamingTheSetting() {
        runner.withPropertyValues("scoreboard.kafka.bootstrap-servers=127.0.0.1:9092",
                        "scoreboard.query.min-position-timeout=0s")
                .run(context -> assertThat(context).getFailure()
                        .rootCause().hasMessageContaining("scoreboard.query.min-position-timeout")
                        .hasMessageContaining("must be positive"));
    }

    @Test
    void sessionTimeoutBelowTheBrokersMinimum_failsNamingTheSetting() {
        runner.withPropertyValues("scoreboard.kafka.bootstrap-servers=127.0.0.1:9092",
                        "scoreboard.kafka.session-timeout=2s")
                .run(context -> assertThat(context).getFailure()
                        .rootCause().hasMessageContaining("scoreboard.kafka.session-timeout")
                        .hasMessageContaining("must be at least 6s"));
    }

    @Test
    void defaults_areTheDocumentedOnes() {
        runner.withPropertyValues("scoreboard.kafka.bootstrap-servers=127.0.0.1:9092").run(context -> {
            QueryKafkaProperties kafka = context.getBean(QueryKafkaProperties.class);
            assertThat(kafka.topic()).isEqualTo("scoreboard-events");
            assertThat(kafka.consumerGroup()).isEqualTo("scoreboard-query");
            assertThat(kafka.sessionTimeout()).hasSeconds(45);
            assertThat(context.getBean(ReadYourWritesProperties.class).minPositionTimeout()).hasSeconds(5);
        });
    }
}
