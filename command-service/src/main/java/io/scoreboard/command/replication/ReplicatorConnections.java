package io.scoreboard.command.replication;

import com.zaxxer.hikari.HikariDataSource;
import io.scoreboard.command.eventstore.SidePool;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The replicator's own connections to the event store (a {@link SidePool}): however many writes wait
 * for a connection, the replicator that releases them never queues behind them.
 */
@Component
public class ReplicatorConnections implements DisposableBean {

    private final HikariDataSource pool;

    ReplicatorConnections(@Value("${spring.datasource.url}") String url,
                          @Value("${spring.datasource.username:}") String user,
                          @Value("${spring.datasource.password:}") String password,
                          ReplicatorSettings settings) {
        // A read or a claim that hangs (a lost server) fails and is retried instead of stalling replication.
        this.pool = SidePool.open("replicator", url, user, password, settings.connections(), Duration.ofSeconds(2),
                Duration.ofSeconds(60), false);
    }

    Connection get() throws SQLException {
        return pool.getConnection();
    }

    @Override
    public void destroy() {
        pool.close();
    }
}
