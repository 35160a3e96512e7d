package io.scoreboard.command.web;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * {@code scoreboard.http.*}: limits of the HTTP layer, checked at start-up.
 *
 * @param maxBodySize {@code scoreboard.http.max-body-size}: the largest request body accepted
 *                    (e.g. {@code 64KB}, {@code 1MB}); a larger one is refused with 413 before any
 *                    command runs. Bodies of unknown length are buffered up to this size, so it is
 *                    capped at {@value #MAX_CONFIGURABLE_MB} MB.
 */
@Validated
@ConfigurationProperties("scoreboard.http")
public record HttpProperties(@DefaultValue("64KB") @NotNull DataSize maxBodySize) {

    static final int MAX_CONFIGURABLE_MB = 16;

    @AssertTrue(message = "scoreboard.http.max-body-size must be between 1B and " + MAX_CONFIGURABLE_MB
            + "MB (bodies of unknown length are buffered in memory up to this size), e.g. 64KB")
    public boolean isMaxBodySizeInRange() {
        return maxBodySize == null
                || (maxBodySize.toBytes() > 0 && maxBodySize.compareTo(DataSize.ofMegabytes(MAX_CONFIGURABLE_MB)) <= 0);
    }
}
