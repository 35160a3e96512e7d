package io.scoreboard.query.projection;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The projection runner's own resources.
 *
 * @param poolSize connections of the runner's own pool (docs/adr/0018), apart from the requests' pool
 *                 ({@code spring.datasource.hikari.maximum-pool-size}); it uses one at a time
 */
@Validated
@ConfigurationProperties("scoreboard.projection")
public record ProjectionProperties(
        @DefaultValue("2")
        @Min(value = 1, message = "must be between 1 and 10 (the runner uses one connection at a time)")
        @Max(value = 10, message = "must be between 1 and 10 (the runner uses one connection at a time)")
        int poolSize) {
}
