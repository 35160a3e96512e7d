package io.scoreboard.query.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.scoreboard.query.projection.ProjectionConnections;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The live streams' parts. The hub has two connections of its own (pool "live"): one listens for the read
 * model's notices, one reads; request traffic cannot take them, and they cannot take the requests'. Like the
 * projection's pool it is deliberately not a DataSource bean (Spring Boot would then not build the requests' one).
 */
@Configuration(proxyBeanMethods = false)
class LiveConfiguration {

    static final String POOL_NAME = "live";

    /** Closed after the hub has stopped (the hub depends on it). */
    static final class LiveConnections implements AutoCloseable {
        final HikariDataSource dataSource;

        LiveConnections(HikariDataSource dataSource) {
            this.dataSource = dataSource;
        }

        @Override
        public void close() {
            dataSource.close();
        }
    }

    @Bean(destroyMethod = "close")
    LiveConnections liveConnections(DataSourceProperties dataSource, Environment environment, MeterRegistry meters) {
        return new LiveConnections(ProjectionConnections.ownPool(POOL_NAME, dataSource, Binder.get(environment), 2,
                meters));
    }

    @Bean
    LiveHub liveHub(LiveConnections liveConnections, ObjectMapper json, LiveProperties properties,
                    MeterRegistry meters) {
        return new LiveHub(liveConnections.dataSource, new LiveMessages(json), properties, meters);
    }
}
