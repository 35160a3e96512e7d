package io.scoreboard.command;

import io.scoreboard.httpedge.HttpEdgeConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/** The write side: REST commands → Axon aggregate → PostgreSQL event store → Kafka. */
@SpringBootApplication
@ConfigurationPropertiesScan
@Import(HttpEdgeConfiguration.class) // problem+json for every error, also outside the controllers
public class CommandServiceApplication {

    public static void main(String[] args) {
        // Axon calls home at start-up unless told not to; production networks often have no internet.
        System.setProperty("axoniq.update-checker.disabled", "true");
        SpringApplication.run(CommandServiceApplication.class, args);
    }
}
