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

    /** PostgreSQL plans each execution of a prepared statement with its parameters, never a generic plan. */
    static final String CUSTOM_PLANS = "-c plan_cache_mode=force_custom_plan";

    private final HikariDataSource pool;

    ReplicatorConnections(@Value("${spring.datasource.url}") String url,
                          @Value("${spring.datasource.username:}") String user,
                          @Value("${spring.datasource.password:}") String password,
                          ReplicatorSettings settings) {
        // A read or a claim that hangs (a lost server) fails and is retried instead of stalling replication.
        // Every read is planned for its own positions (ADR 0024): a plan cached for "any position" was made
        // while the table was small and stayed a sequential scan as it grew (measured: 0.9 -> 8.5 ms per read
        // over 5 minutes, half a core), most of all where statistics are stale (autovacuum off or behind).
        this.pool = SidePool.open("replicator", url, user, password, settings.connections(), Duration.ofSeconds(2),
                Duration.ofSeconds(60), false, CUSTOM_PLANS);
    }

    Connection get() throws SQLException {
        return pool.getConnection();
    }

    @Override
    public void destroy() {
        pool.close();
    }
}
