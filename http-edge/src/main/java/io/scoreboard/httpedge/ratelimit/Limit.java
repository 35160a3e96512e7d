package io.scoreboard.httpedge.ratelimit;

import io.github.bucket4j.Bandwidth;
import java.time.Duration;

/**
 * One rate limit as configured ({@code scoreboard.rate-limits.<name>.*}): {@code rate} requests per
 * {@code period} sustained, bursts of up to {@code burst} (default: {@code rate}). A {@code rate} of
 * 0 turns the limit off.
 */
public record Limit(long rate, Duration period, Long burst) {

    /** What {@link #isValid()} requires, for the start-up message (which names the setting before it). */
    public static final String RULE = "rate must be 0 (off) or more, with a positive period (e.g. rate: 20, "
            + "period: 1s) and a burst of at least 1 (or none: then it is the rate)";

    public boolean isOff() {
        return rate == 0;
    }

    public long capacity() {
        return burst == null ? rate : burst;
    }

    /** Bucket4j's form: a bucket of {@code capacity} tokens, refilled smoothly at the rate. */
    Bandwidth bandwidth() {
        return Bandwidth.builder().capacity(capacity()).refillGreedy(rate, period).build();
    }

    /** How long an emptied bucket takes to fill up again; an idle bucket older than that is full anyway. */
    Duration timeToFill() {
        return period.multipliedBy(capacity()).dividedBy(rate);
    }

    /** Checked at start-up by the record that holds the limit, so that the message names the setting. */
    public boolean isValid() {
        if (rate < 0) {
            return false;
        }
        if (rate == 0) {
            return true;
        }
        return period != null && !period.isNegative() && !period.isZero() && (burst == null || burst >= 1);
    }

    @Override
    public String toString() {
        return isOff() ? "off" : rate + " per " + period + " (burst " + capacity() + ")";
    }
}
