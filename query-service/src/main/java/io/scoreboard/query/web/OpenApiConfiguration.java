package io.scoreboard.query.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import java.util.Optional;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The query API's OpenAPI description, served at {@code /v3/api-docs} and browsable at
 * {@code /swagger-ui.html}. The operations come from the controllers as they are.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

    @Bean
    OpenAPI scoreboardQueryOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("Scoreboard query API")
                        .version(version())
                        .description("""
                                Read side of the event-sourced scoreboard (REST contract v1): boards, \
                                leaderboards and history, projected from the Kafka event topic into the read \
                                database. No authentication.

                                Read-your-writes: pass the `position` of a command response as \
                                `?minPosition=`; the answer waits a few seconds for the projections to reach \
                                it, else `503` with `Retry-After`. Every response carries \
                                `X-Projection-Position`, the event position it reflects. A deleted board \
                                answers `404` here (its history stays in the event store).

                                Errors are `application/problem+json` (RFC 9457) with a `detail` that says \
                                what to fix."""));
    }

    private static String version() {
        return Optional.ofNullable(OpenApiConfiguration.class.getPackage().getImplementationVersion()).orElse("v1");
    }
}
