package io.scoreboard.query.projection;

import io.micrometer.core.instrument.MeterRegistry;
import io.scoreboard.projections.checkpoint.ProjectionCheckpoints;
import io.scoreboard.projections.scoreboard.ScoreboardProjection;
import io.scoreboard.startup.ProductionTopicSafety;
import io.scoreboard.startup.TopicEnvironment;
import io.scoreboard.startup.TopicEnvironmentCheck;
import java.time.Duration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.apache.kafka.clients.admin.Admin;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

@Configuration(proxyBeanMethods = false)
class ProjectionConfiguration {

    @Bean
    ProjectionCheckpoints projectionCheckpoints() {
        return new ProjectionCheckpoints();
    }

    /** The runner's own pool, closed after the runner has stopped (it depends on this bean). */
    @Bean(destroyMethod = "close")
    ProjectionConnections projectionConnections(DataSourceProperties dataSource, Environment environment,
                                                ProjectionProperties properties, MeterRegistry meters) {
        return ProjectionConnections.from(dataSource, Binder.get(environment), properties.poolSize(), meters);
    }

    @Bean
    QueryTopicEnvironment queryTopicEnvironment(QueryKafkaProperties kafka, Admin admin,
                                                @Value("${scoreboard.environment:}") String environment,
                                                @Value("${scoreboard.production:false}") boolean production) {
        ProductionTopicSafety productionSafety = production ? new ProductionTopicSafety(admin, kafka.bootstrapServers(),
                kafka.topic(), ProductionTopicSafety.SERVICE_SETTING, "scoreboard.kafka.bootstrap-servers",
                Duration.ofSeconds(20)) : null;
        return new QueryTopicEnvironment(new TopicEnvironmentCheck(admin, kafka.bootstrapServers(), kafka.topic(),
                TopicEnvironment.Settings.SERVICE), environment, productionSafety);
    }

    /** Boards whose applied version the runner remembers (ADR 0028); 0: none, every read looks its board up. */
    @Bean
    AppliedVersions appliedVersions(@Value("${scoreboard.query.applied-versions.max-boards:100000}") int maxBoards,
                                    QueryKafkaProperties kafka) {
        return new AppliedVersions(maxBoards, kafka.sessionTimeout());
    }

    @Bean
    ProjectionRunner scoreboardProjectionRunner(QueryKafkaProperties kafka, ProjectionConnections connections,
                                                Admin admin, ProjectionCheckpoints checkpoints, MeterRegistry meters,
                                                QueryTopicEnvironment topicEnvironment, AppliedVersions appliedVersions) {
        // Its own connections (ADR 0018); every topic incarnation the runner meets (also one created or
        // recreated after start-up) is checked to be this environment's before its first record is applied (ADR 0017).
        return new ProjectionRunner(new ScoreboardProjection(), kafka.topic(), connections.dataSource(), checkpoints,
                () -> KafkaClients.newConsumer(kafka), topicEnvironment.checking(TopicIdentity.of(admin, kafka.topic())),
                kafka.pollTimeout(), appliedVersions, meters);
    }

    /**
     * Starts the runner before the web server takes requests and stops it after the server has
     * drained them (a lower phase starts earlier and stops later), and before the DataSource closes.
     */
    @Bean
    SmartLifecycle scoreboardProjectionLifecycle(ProjectionRunner runner) {
        return new SmartLifecycle() {
            @Override
            public void start() {
                runner.start();
            }

            @Override
            public void stop() {
                runner.stop(Duration.ofSeconds(15));
            }

            @Override
            public boolean isRunning() {
                return runner.isRunning();
            }

            @Override
            public int getPhase() {
                return SmartLifecycle.DEFAULT_PHASE - 4096;
            }
        };
    }
}
