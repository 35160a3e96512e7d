package io.scoreboard.query.live;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Bounds and timing of the live streams ({@code GET /api/v1/scoreboards/{id}/live}, docs/adr/0038).
 *
 * @param maxStreams          open streams per instance; beyond, 429 ({@code 0}: no bound)
 * @param maxStreamsPerClient open streams per client address; beyond, 429 ({@code 0}: no bound)
 * @param heartbeat           a comment line at least this often keeps idle streams (and proxies) open
 * @param maxQueuedBytes      a viewer whose backlog of unsent messages grows past this is dropped (it reconnects
 *                            and resumes; a resume whose changes add up to more gets a snapshot); the messages
 *                            are shared by a board's viewers
 * @param slowViewerTimeout   a viewer that has taken nothing for this long while data waits is dropped
 * @param fullCheck           how often every followed board is compared with the read model, besides the
 *                            read model's notices (a notice lost with a dropped connection is caught here)
 * @param maxResumeEvents     a reconnect further behind than this many events gets a new snapshot instead
 * @param retryAfter          the Retry-After of a refused stream
 */
@Validated
@ConfigurationProperties("scoreboard.live")
public record LiveProperties(
        @DefaultValue("2000") @Min(0) int maxStreams,
        @DefaultValue("20") @Min(0) int maxStreamsPerClient,
        @DefaultValue("10s") @NotNull @DurationMin(seconds = 1) Duration heartbeat,
        @DefaultValue("4194304") @Min(4096) long maxQueuedBytes,
        @DefaultValue("30s") @NotNull @DurationMin(seconds = 1) Duration slowViewerTimeout,
        @DefaultValue("2s") @NotNull @DurationMin(millis = 100) Duration fullCheck,
        @DefaultValue("10000") @Min(0) int maxResumeEvents,
        @DefaultValue("5s") @NotNull @DurationMin(seconds = 1) Duration retryAfter) {
}
