package io.scoreboard.httpedge.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Rates of one token per hour: refill cannot happen during a test, so every assertion is exact. */
class KeyedBucketsTest {

    private static final Limit THREE_PER_HOUR = new Limit(1, Duration.ofHours(1), 3L);

    @Test
    void aBurstIsAllowed_thenRefused_withRetryAfterInWholeSeconds() {
        KeyedBuckets buckets = new KeyedBuckets(THREE_PER_HOUR, 1000);
        for (int i = 0; i < 3; i++) {
            assertThat(buckets.tryTake("a").allowed()).isTrue();
        }
        Verdict refused = buckets.tryTake("a");
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfterSeconds()).isBetween(3500L, 3600L);
        assertThat(buckets.tryTake("b").allowed()).as("another key has its own bucket").isTrue();
    }

    @Test
    void check_takesNothing_andRecord_takesEvenFromAnEmptyBucket() {
        KeyedBuckets buckets = new KeyedBuckets(THREE_PER_HOUR, 1000);
        assertThat(buckets.check("a").allowed()).isTrue();
        assertThat(buckets.trackedKeys()).as("checking an unknown key creates no bucket").isZero();
        for (int i = 0; i < 5; i++) {
            buckets.record("a");
        }
        assertThat(buckets.check("a").allowed()).isFalse();
        assertThat(buckets.check("a").retryAfterSeconds()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void record_chargesEveryEvent_intoDebt_soEventsInFlightTogetherAreRepaidBeforeTheKeyPassesAgain() {
        KeyedBuckets buckets = new KeyedBuckets(THREE_PER_HOUR, 1000);
        // Five failures recorded after all five passed check() at once (64 connections in flight): 3 - 5 = -2.
        for (int i = 0; i < 5; i++) {
            buckets.record("a");
        }
        buckets.giveBack("a");
        buckets.giveBack("a");
        assertThat(buckets.check("a").allowed()).as("the debt of two is repaid, but nothing is left").isFalse();
        buckets.giveBack("a");
        assertThat(buckets.check("a").allowed()).isTrue();
    }

    @Test
    void giveBack_returnsAToken() {
        KeyedBuckets buckets = new KeyedBuckets(THREE_PER_HOUR, 1000);
        for (int i = 0; i < 3; i++) {
            buckets.tryTake("a");
        }
        buckets.giveBack("a");
        assertThat(buckets.tryTake("a").allowed()).isTrue();
        assertThat(buckets.tryTake("a").allowed()).isFalse();
    }

    @Test
    void rateZero_isOff() {
        KeyedBuckets buckets = new KeyedBuckets(new Limit(0, Duration.ofSeconds(1), null), 1000);
        for (int i = 0; i < 1000; i++) {
            assertThat(buckets.tryTake("a").allowed()).isTrue();
        }
        assertThat(buckets.trackedKeys()).isZero();
    }

    @Test
    void aFloodOfRandomKeys_keepsAtMostMaxKeysBuckets() {
        KeyedBuckets buckets = new KeyedBuckets(THREE_PER_HOUR, 100);
        for (int i = 0; i < 20_000; i++) {
            buckets.tryTake(UUID.randomUUID().toString());
        }
        assertThat(buckets.trackedKeys()).isLessThanOrEqualTo(100);
    }

    @Test
    void limit_validation() {
        assertThat(new Limit(0, null, null).isValid()).as("off needs no period").isTrue();
        assertThat(new Limit(20, Duration.ofSeconds(1), 100L).isValid()).isTrue();
        assertThat(new Limit(-1, Duration.ofSeconds(1), null).isValid()).isFalse();
        assertThat(new Limit(20, Duration.ZERO, null).isValid()).isFalse();
        assertThat(new Limit(20, null, null).isValid()).isFalse();
        assertThat(new Limit(20, Duration.ofSeconds(1), 0L).isValid()).isFalse();
        assertThat(new Limit(20, Duration.ofSeconds(1), null).capacity()).isEqualTo(20);
    }
}
