package io.scoreboard.operator.restore;

import static java.time.temporal.ChronoField.DAY_OF_MONTH;
import static java.time.temporal.ChronoField.HOUR_OF_DAY;
import static java.time.temporal.ChronoField.MINUTE_OF_HOUR;
import static java.time.temporal.ChronoField.MONTH_OF_YEAR;
import static java.time.temporal.ChronoField.NANO_OF_SECOND;
import static java.time.temporal.ChronoField.SECOND_OF_MINUTE;
import static java.time.temporal.ChronoField.YEAR;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.SignStyle;

/**
 * How the command service's Axon stores what this tool writes without Axon on its class path:
 * the {@code domain_event_entry} columns Axon's JdbcEventStorageEngine fills beyond the envelope's
 * fields (the replicator's token is {@link io.scoreboard.startup.ReplicatorToken}, shared with the command
 * service). Each value is pinned against Axon itself in RestoreAxonFormatsTest and against rows a running
 * command service wrote in EventStoreLossDrillIT; change them only together with the command service.
 */
final class AxonFormats {

    /** Axon's aggregate type: the simple name of the command service's only aggregate class. */
    static final String AGGREGATE_TYPE = "Scoreboard";

    /**
     * Metadata of a restored event. Axon stored the command's correlation data here (traceId,
     * correlationId); the Kafka envelope does not carry it, so a restored event has none.
     */
    static final byte[] EMPTY_META_DATA = "{}".getBytes(StandardCharsets.UTF_8);

    /** Axon's JdbcTokenStore default, which the command service keeps: a claim older than this is free. */
    static final Duration CLAIM_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Axon 4.13's DateTimeUtils.formatInstant: UTC with exactly three fraction digits, finer ones
     * cut off (so stored strings sort in time order). Instant.toString differs (no fraction at whole
     * seconds, six or nine digits when finer), so the envelope's string cannot be stored as it is.
     * Events read back from the store carry millisecond time stamps, so nothing is lost in practice.
     */
    private static final DateTimeFormatter AXON_INSTANT = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .appendValue(YEAR, 4, 10, SignStyle.EXCEEDS_PAD)
            .appendLiteral('-')
            .appendValue(MONTH_OF_YEAR, 2)
            .appendLiteral('-')
            .appendValue(DAY_OF_MONTH, 2)
            .appendLiteral('T')
            .appendValue(HOUR_OF_DAY, 2)
            .appendLiteral(':')
            .appendValue(MINUTE_OF_HOUR, 2)
            .appendLiteral(':')
            .appendValue(SECOND_OF_MINUTE, 2)
            .appendFraction(NANO_OF_SECOND, 3, 3, true)
            .appendOffsetId()
            .toFormatter()
            .withZone(ZoneOffset.UTC);

    private AxonFormats() {}

    static String timestamp(Instant instant) {
        return AXON_INSTANT.format(instant);
    }

    /** Axon's own parser for the timestamps it wrote (any ISO-8601 offset). */
    static Instant parseTimestamp(String stored) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(stored, Instant::from);
    }
}
