package io.scoreboard.query.projection;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;

/**
 * The projection runner's own connection pool (docs/adr/0018). Requests share the service's pool:
 * slow CSV exports or a flood of reads may hold every one of its connections, and the runner would
 * then wait behind them and the read model stand still. This pool is built from the same settings
 * as the requests' one ({@code spring.datasource.*}, {@code spring.datasource.hikari.*}: URL, role,
 * schema, timeouts), so it reaches the same read model, but only the runner takes from it. Deliberately not a {@link DataSource} bean: nothing else can be handed it by mistake,
 * and Spring Boot still configures the requests' pool as usual.
 */
public final class ProjectionConnections implements AutoCloseable {

    static final String POOL_NAME = "projection";

    private final HikariDataSource dataSource;

    private ProjectionConnections(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * A pool of {@code size} connections from the settings of the service's own pool, bound the way
     * Spring Boot binds them (from the settings, not the bean: that may be wrapped).
     */
    static ProjectionConnections from(DataSourceProperties dataSource, Binder settings, int size,
                                      MeterRegistry meters) {
        return new ProjectionConnections(ownPool(POOL_NAME, dataSource, settings, size, meters));
    }

    /**
     * A pool of its own for one part of the service (the projection runner, the live boards), built from the
     * settings of the requests' pool so that it reaches the same read model; metrics as hikaricp_*{pool=name}.
     */
    public static HikariDataSource ownPool(String name, DataSourceProperties dataSource, Binder settings, int size,
                                           MeterRegistry meters) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(dataSource.determineUrl());
        config.setUsername(dataSource.determineUsername());
        config.setPassword(dataSource.determinePassword());
        config.setDriverClassName(dataSource.determineDriverClassName());
        settings.bind("spring.datasource.hikari", Bindable.ofInstance(config));
        config.setPoolName(name);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        // Start even when the database is away (start-up checks have vouched for it; it may go
        // again): the pool's user waits for it like for any other database fault.
        config.setInitializationFailTimeout(-1);
        config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(meters));
        return new HikariDataSource(config);
    }

    DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
