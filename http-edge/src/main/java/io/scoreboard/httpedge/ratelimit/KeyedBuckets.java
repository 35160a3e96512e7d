package io.scoreboard.httpedge.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;
import java.time.Duration;

/**
 * One Bucket4j token bucket per key (a client address, a board), in this process's memory. Bounded:
 * a bucket idle for as long as it takes to fill up is dropped (it would be full, so nothing is
 * forgotten), and at most {@code maxKeys} are kept, least recently used out first — a flood of
 * random boards or addresses costs bounded memory, at worst giving an evicted key a full bucket.
 */
public final class KeyedBuckets {

    private static final Duration MIN_IDLE = Duration.ofSeconds(1);

    private final Limit limit;
    private final Cache<String, Bucket> buckets;

    public KeyedBuckets(Limit limit, long maxKeys) {
        this.limit = limit;
        Duration idle = limit.isOff() ? MIN_IDLE : max(limit.timeToFill(), MIN_IDLE);
        this.buckets = Caffeine.newBuilder().maximumSize(maxKeys).expireAfterAccess(idle).build();
    }

    public Limit limit() {
        return limit;
    }

    /** Takes one token from the key's bucket, if it has one. */
    public Verdict tryTake(String key) {
        if (limit.isOff()) {
            return Verdict.ALLOWED;
        }
        ConsumptionProbe probe = bucket(key).tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? Verdict.ALLOWED : Verdict.refusedFor(probe.getNanosToWaitForRefill());
    }

    /** Whether the key's bucket has a token, without taking it. */
    public Verdict check(String key) {
        if (limit.isOff()) {
            return Verdict.ALLOWED;
        }
        Bucket bucket = buckets.getIfPresent(key);
        if (bucket == null) {
            return Verdict.ALLOWED;
        }
        EstimationProbe estimate = bucket.estimateAbilityToConsume(1);
        return estimate.canBeConsumed() ? Verdict.ALLOWED : Verdict.refusedFor(estimate.getNanosToWaitForRefill());
    }

    /**
     * Takes a token whether or not there is one left (an event that already happened: a failed
     * authentication), into debt if need be: requests that passed {@link #check} together before any of
     * them was recorded are all charged, and the debt is repaid before the key passes again, so the
     * average stays at the limit however many are in flight at once.
     */
    public void record(String key) {
        if (!limit.isOff()) {
            bucket(key).consumeIgnoringRateLimits(1);
        }
    }

    /** Returns a token taken for a request that turned out not to count. */
    public void giveBack(String key) {
        if (!limit.isOff()) {
            Bucket bucket = buckets.getIfPresent(key);
            if (bucket != null) {
                bucket.addTokens(1);
            }
        }
    }

    /** How many keys are held now (after dropping the expired ones). */
    public long trackedKeys() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }

    private Bucket bucket(String key) {
        return buckets.get(key, k -> Bucket.builder().addLimit(limit.bandwidth()).build());
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
