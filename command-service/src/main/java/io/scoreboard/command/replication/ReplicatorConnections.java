package io.scoreboard.command.replication;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The replicator's own connections to the event store. Not a DataSource bean (that would turn off
 * Spring Boot's own pool) and not shared with requests: however many writes wait for a connection,
 * the replicator that releases them never queues behind them.
 */
@Component
public class ReplicatorConnections implements DisposableBean {

    private final HikariDataSource pool;

    ReplicatorConnections(@Value("${spring.datasource.url}") String url,
                          @Value("${spring.datasource.username:}") String user,
                          @Value("${spring.datasource.password:}") String password,
                          ReplicatorSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("replicator");
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(settings.connections());
        config.setMinimumIdle(1);
        config.setConnectionTimeout(2_000);
        // A read or a claim that hangs (a lost server) fails and is retried instead of stalling replication.
        config.addDataSourceProperty("connectTimeout", 2);
        config.addDataSourceProperty("socketTimeout", 60);
        config.setInitializationFailTimeout(-1); // the start-up checks report an unreachable database
        this.pool = new HikariDataSource(config);
    }

    Connection get() throws SQLException {
        return pool.getConnection();
    }

    @Override
    public void destroy() {
        pool.close();
    }
}
