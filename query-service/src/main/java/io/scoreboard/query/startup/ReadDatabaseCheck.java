package io.scoreboard.query.startup;

import io.scoreboard.startup.DatabaseCheck;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** Refuses to start, naming the setting, unless the read database is reachable and migrated. */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class ReadDatabaseCheck implements InitializingBean {

    private final DataSource dataSource;
    private final String url;

    ReadDatabaseCheck(DataSource dataSource, @Value("${spring.datasource.url:}") String url) {
        this.dataSource = dataSource;
        this.url = url;
    }

    @Override
    public void afterPropertiesSet() {
        DatabaseCheck.require(dataSource, url, "scoreboard_read",
                List.of("projection_checkpoints", "scoreboards", "participants"));
    }
}
