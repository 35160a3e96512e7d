package io.scoreboard.startup;

import java.util.List;
import javax.sql.DataSource;
import org.springframework.beans.factory.InitializingBean;

/**
 * What a service checks about its database while its beans are created, before it serves or
 * touches Kafka: the database belongs to the configured environment, is reachable, and has the
 * tables the service needs. Each service declares one as a bean.
 */
public class DatabaseStartupCheck implements InitializingBean {

    private final DataSource dataSource;
    private final String url;
    private final String environment;
    private final String databaseName;
    private final List<String> requiredTables;

    public DatabaseStartupCheck(DataSource dataSource, String url, String environment, String databaseName,
                                List<String> requiredTables) {
        this.dataSource = dataSource;
        this.url = url;
        this.environment = environment;
        this.databaseName = databaseName;
        this.requiredTables = List.copyOf(requiredTables);
    }

    @Override
    public void afterPropertiesSet() {
        // First of all: a process configured for one environment never touches another's database.
        DatabaseCheck.requireEnvironment(dataSource, url, databaseName, environment);
        DatabaseCheck.require(dataSource, url, databaseName, requiredTables);
    }
}
