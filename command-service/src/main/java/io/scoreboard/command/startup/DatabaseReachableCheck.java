package io.scoreboard.command.startup;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** Fails start-up at once, naming the setting, when the event store database cannot be reached. */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class DatabaseReachableCheck implements InitializingBean {

    private final DataSource dataSource;
    private final String url;

    public DatabaseReachableCheck(DataSource dataSource, @Value("${spring.datasource.url:}") String url) {
        this.dataSource = dataSource;
        this.url = url;
    }

    @Override
    public void afterPropertiesSet() {
        try (Connection ignored = dataSource.getConnection()) {
            // reachable
        } catch (SQLException e) {
            throw new StartupCheckFailedException(
                    "Cannot connect to the event store database at " + url + ": " + e.getMessage(),
                    "spring.datasource.url",
                    "Start PostgreSQL or point spring.datasource.url (and username/password) at the "
                            + "scoreboard_events database; the local stack (./scoreboard up) does this for you.",
                    e);
        }
    }
}
