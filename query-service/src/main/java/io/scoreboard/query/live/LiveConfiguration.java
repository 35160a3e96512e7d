package io.scoreboard.query.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.scoreboard.query.projection.ProjectionConnections;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
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

    /**
     * Tomcat keeps the buffers of closed connections for new ones ({@code socket.bufferPool}). With live streams
     * (non-blocking writes from the hub's threads, streams ended from them while the container still flushes) a
     * stream now and then lost whole chunks of a message in the middle: LiveStreamIntegrationTest's slow-viewer
     * case, about one run in five, with the JDK's HTTP client and with HttpURLConnection alike; none in the runs
     * since the pool is off (docs/adr/0039). A new connection allocates its two buffers instead.
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> liveChannelBuffersNotReused() {
        return factory -> factory.addConnectorCustomizers(connector -> {
            if (!connector.setProperty("socket.bufferPool", "0")) {
                throw new IllegalStateException("Tomcat did not take socket.bufferPool=0");
            }
        });
    }

    @Bean
    LiveHub liveHub(LiveConnections liveConnections, ObjectMapper json, LiveProperties properties,
                    MeterRegistry meters) {
        return new LiveHub(liveConnections.dataSource, new LiveMessages(json), properties, meters);
    }
}
