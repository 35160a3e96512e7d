package io.scoreboard.command.startup;

import io.scoreboard.startup.DatabaseStartupCheck;
import io.scoreboard.startup.EventStoreTables;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The event store database, checked before anything uses it (TopicGuard depends on this bean). */
@Configuration(proxyBeanMethods = false)
class StartupChecksConfiguration {

    static final String EVENT_STORE_CHECK = "eventStoreDatabaseCheck";

    @Bean(EVENT_STORE_CHECK)
    DatabaseStartupCheck eventStoreDatabaseCheck(DataSource dataSource,
                                                 @Value("${spring.datasource.url:}") String url,
                                                 @Value("${scoreboard.environment:}") String environment) {
        return new DatabaseStartupCheck(dataSource, url, environment, "scoreboard_events",
                List.of(EventStoreTables.EVENTS, EventStoreTables.SNAPSHOTS, EventStoreTables.TOKENS, "idempotency_keys"));
    }
}
