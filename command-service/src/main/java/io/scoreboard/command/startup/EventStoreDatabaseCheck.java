package io.scoreboard.command.startup;

import io.scoreboard.startup.DatabaseCheck;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** Refuses to start, naming the setting, unless the event store database is reachable and migrated. */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class EventStoreDatabaseCheck implements InitializingBean {

    private final DataSource dataSource;
    private final String url;
    private final String environment;

    EventStoreDatabaseCheck(DataSource dataSource, @Value("${spring.datasource.url:}") String url,
                     @Value("${scoreboard.environment:}") String environment) {
        this.dataSource = dataSource;
        this.url = url;
        this.environment = environment;
    }

    @Override
    public void afterPropertiesSet() {
        // First of all: a process configured for one environment never touches another's database.
        DatabaseCheck.requireEnvironment(dataSource, url, "scoreboard_events", environment);
        DatabaseCheck.require(dataSource, url, "scoreboard_events",
                List.of("domain_event_entry", "snapshot_event_entry", "token_entry"));
    }
}
