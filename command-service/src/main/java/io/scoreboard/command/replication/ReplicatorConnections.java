package io.scoreboard.command.replication;

import com.zaxxer.hikari.HikariDataSource;
import io.scoreboard.command.eventstore.SidePool;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
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

    /**
     * The presence session's server-side TCP keepalives: a replicator whose host vanished without closing its
     * socket is seen gone within about 3 s (1 s idle, then 2 probes 1 s apart), and its claim taken.
     */
    static final String PRESENCE_KEEPALIVES =
            "-c tcp_keepalives_idle=1 -c tcp_keepalives_interval=1 -c tcp_keepalives_count=2";

    private final HikariDataSource pool;
    private final String url;
    private final Properties presenceProperties = new Properties();

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
        this.url = url;
        presenceProperties.setProperty("user", user);
        presenceProperties.setProperty("password", password);
        presenceProperties.setProperty("connectTimeout", "2");
        presenceProperties.setProperty("socketTimeout", "10");
        presenceProperties.setProperty("tcpKeepAlive", "true");
        presenceProperties.setProperty("ApplicationName", "scoreboard replicator presence");
        presenceProperties.setProperty("options", PRESENCE_KEEPALIVES);
    }

    /** A connection of its own, outside the pool, for the replicator's presence (held while it runs). */
    Connection presenceSession() throws SQLException {
        return DriverManager.getConnection(url, presenceProperties);
    }

    Connection get() throws SQLException {
        return pool.getConnection();
    }

    @Override
    public void destroy() {
        pool.close();
    }
}
