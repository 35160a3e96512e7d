package io.scoreboard.query.startup;

import io.scoreboard.startup.DatabaseStartupCheck;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The read database, checked before the projection runner or any query uses it. */
@Configuration(proxyBeanMethods = false)
class StartupChecksConfiguration {

    @Bean
    DatabaseStartupCheck readDatabaseCheck(DataSource dataSource,
                                           @Value("${spring.datasource.url:}") String url,
                                           @Value("${scoreboard.environment:}") String environment) {
        // participants.removed arrives with read migration V2: without it the first removal would stop
        // the projection, so an older database is refused at start-up instead.
        return new DatabaseStartupCheck(dataSource, url, environment, "scoreboard_read",
                List.of("projection_checkpoints(topic_id)", "scoreboards", "participants(removed, removed_at)"));
    }
}
