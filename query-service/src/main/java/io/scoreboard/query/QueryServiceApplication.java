package io.scoreboard.query;

import io.scoreboard.httpedge.HttpEdgeConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/** Read side: the query API over the read database, and the live projection runner feeding it from Kafka. */
@SpringBootApplication
@ConfigurationPropertiesScan
@Import(HttpEdgeConfiguration.class) // problem+json for every error, also outside the controllers
public class QueryServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(QueryServiceApplication.class, args);
    }
}
