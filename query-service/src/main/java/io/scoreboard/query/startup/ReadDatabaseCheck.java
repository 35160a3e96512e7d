package io.scoreboard.query.startup;

import io.scoreboard.startup.DatabaseCheck;
import io.scoreboard.startup.StartupCheckFailedException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
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
    private final String environment;

    ReadDatabaseCheck(DataSource dataSource, @Value("${spring.datasource.url:}") String url,
                     @Value("${scoreboard.environment:}") String environment) {
        this.dataSource = dataSource;
        this.url = url;
        this.environment = environment;
    }

    @Override
    public void afterPropertiesSet() {
        // First of all: a process configured for one environment never touches another's database.
        DatabaseCheck.requireEnvironment(dataSource, url, "scoreboard_read", environment);
        DatabaseCheck.require(dataSource, url, "scoreboard_read",
                List.of("projection_checkpoints", "scoreboards", "participants"));
        requireParticipantRemoval();
    }

    /** Read migration V2 (participants.removed/removed_at): without it the first removal would stop the projection. */
    private void requireParticipantRemoval() {
        try (Connection connection = dataSource.getConnection(); Statement s = connection.createStatement()) {
            s.executeQuery("SELECT removed, removed_at FROM participants LIMIT 1").close();
        } catch (SQLException e) {
            throw new StartupCheckFailedException(
                    "The scoreboard_read database at " + url + " is not migrated to the current read model "
                            + "(participants.removed / removed_at, migration read V2): " + e.getMessage(),
                    "spring.datasource.url",
                    "Run the read database's migrations as the owner role (./scoreboard up, or "
                            + "io.scoreboard.infra.database.DatabaseBootstrap), then start the service again.",
                    e);
        }
    }
}
