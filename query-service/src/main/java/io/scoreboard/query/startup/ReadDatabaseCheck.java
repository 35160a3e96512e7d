package io.scoreboard.query.startup;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Fails start-up at once, naming the setting, when the read database cannot be reached or has
 * not been migrated. This service never migrates it (its role has no DDL rights): the owner role
 * does, through infra/database's DatabaseBootstrap.
 */
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
        try (Connection connection = dataSource.getConnection()) {
            try (Statement s = connection.createStatement()) {
                s.executeQuery("SELECT 1 FROM projection_checkpoints LIMIT 1").close();
                s.executeQuery("SELECT 1 FROM scoreboards LIMIT 1").close();
            } catch (SQLException e) {
                throw new StartupCheckFailedException(
                        "The read database at " + url + " is not migrated or not readable by this role: "
                                + e.getMessage(),
                        "spring.datasource.url",
                        "Point it at the scoreboard_read database and run its migrations as the owner role "
                                + "(./scoreboard up, or io.scoreboard.infra.database.DatabaseBootstrap); connect "
                                + "as scoreboard_app (spring.datasource.username/password).",
                        e);
            }
        } catch (SQLException e) {
            throw new StartupCheckFailedException(
                    "Cannot connect to the read database at " + url + ": " + e.getMessage(),
                    "spring.datasource.url",
                    "Start PostgreSQL or point spring.datasource.url (and username/password) at the "
                            + "scoreboard_read database; the local stack (./scoreboard up) does this for you.",
                    e);
        }
    }
}
