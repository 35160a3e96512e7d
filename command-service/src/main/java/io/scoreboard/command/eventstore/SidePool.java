package io.scoreboard.command.eventstore;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;

/**
 * A small connection pool to the event store beside the write pool, for work that must never queue
 * behind writes (the replicator that releases them, the credential lookups that refuse bad ones). Not a
 * DataSource bean: a second one would turn off Spring Boot's own pool.
 */
public final class SidePool {

    private SidePool() {}

    /**
     * @param socketTimeout how long one statement may hang on a lost server before it fails (and is retried)
     */
    public static HikariDataSource open(String name, String url, String user, String password, int size,
                                        Duration connectionTimeout, Duration socketTimeout, boolean readOnly) {
        return open(name, url, user, password, size, connectionTimeout, socketTimeout, readOnly, null);
    }

    /** @param sessionOptions PostgreSQL settings for every connection, e.g. {@code -c plan_cache_mode=…}; null for none */
    public static HikariDataSource open(String name, String url, String user, String password, int size,
                                        Duration connectionTimeout, Duration socketTimeout, boolean readOnly,
                                        String sessionOptions) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(connectionTimeout.toMillis());
        config.setReadOnly(readOnly);
        config.addDataSourceProperty("connectTimeout", "2");
        config.addDataSourceProperty("socketTimeout", Long.toString(socketTimeout.toSeconds()));
        if (sessionOptions != null) {
            config.addDataSourceProperty("options", sessionOptions);
        }
        // Do not fail start-up here: the service's start-up checks own "is the database there".
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }
}
