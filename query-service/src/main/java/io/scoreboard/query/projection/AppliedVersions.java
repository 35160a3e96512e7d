package io.scoreboard.query.projection;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The version of every board this instance's projection runner has applied since it was last positioned
 * (ADR 0028): a read of an unchanged board learns its version here instead of from the database.
 *
 * <p>Only the runner writes, after its transaction commits, and a version only ever rises, so a version
 * found here is one the read model holds or held a moment ago. Whenever the runner is positioned again at
 * the stored checkpoints (start, rebalance, a fault waited out, a rebuild switching the read model, a
 * recreated topic) everything is forgotten: boards of partitions another instance now applies, or that the
 * database holds at another version, are looked up in the database again until this runner applies them.
 * Bounded: past {@code maxBoards} it starts over, which only costs lookups.
 *
 * <p>Trusted only for {@link #trustedFor} after the runner last heard from Kafka (records polled, or the
 * topic's id answered). Another query instance can be given this one's partitions without this one revoking
 * them first only once the group has not heard from it for the consumer's session timeout
 * ({@code scoreboard.kafka.session-timeout}, 45 s by default): an instance cut off from Kafka, or whose runner is
 * stuck, stops answering from memory long before another can have moved its boards on (issue 15: several
 * instances never serve a board from an old version).
 */
public final class AppliedVersions {

    /** The longest the memory is trusted: the runner hears from Kafka every 5 s when idle. */
    static final Duration LONGEST_TRUST = Duration.ofSeconds(10);

    private final int maxBoards;
    private final long trustedForNanos;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<UUID, Long> versions = new ConcurrentHashMap<>();
    /** System.nanoTime() of the runner's last word from Kafka; meaningless while {@link #heard} is false. */
    private volatile long heardAt;
    private volatile boolean heard;

    /**
     * @param maxBoards      boards remembered at most; 0 remembers none (every read looks its board up)
     * @param sessionTimeout the consumer's session timeout: the memory is trusted well inside it ({@link #trustedFor})
     */
    public AppliedVersions(int maxBoards, Duration sessionTimeout) {
        this(maxBoards, sessionTimeout, System::nanoTime);
    }

    AppliedVersions(int maxBoards, Duration sessionTimeout, LongSupplier nanoClock) {
        if (maxBoards < 0) {
            throw new IllegalArgumentException("maxBoards must be >= 0, got " + maxBoards);
        }
        this.maxBoards = maxBoards;
        this.trustedForNanos = trustedFor(sessionTimeout).toNanos();
        this.nanoClock = nanoClock;
    }

    /**
     * How long after the runner last heard from Kafka its memory is trusted: a third of the session timeout (the
     * group gives this instance's partitions away only after a whole one without its heartbeats), at most
     * {@link #LONGEST_TRUST}. 10 s with Kafka's default 45 s; 2 s with a 6 s session timeout.
     */
    static Duration trustedFor(Duration sessionTimeout) {
        Duration third = sessionTimeout.dividedBy(3);
        return third.compareTo(LONGEST_TRUST) < 0 ? third : LONGEST_TRUST;
    }

    /**
     * The board's version as this runner last applied it, or empty when it does not know — or when it has not
     * heard from Kafka for {@link #trustedFor} (then another instance may be applying that board by now).
     */
    public OptionalLong version(UUID board) {
        if (!heard || nanoClock.getAsLong() - heardAt > trustedForNanos) {
            return OptionalLong.empty();
        }
        Long version = versions.get(board);
        return version == null ? OptionalLong.empty() : OptionalLong.of(version);
    }

    /** Called by the runner once the transaction that applied these versions has committed. */
    void applied(Map<UUID, Long> boards) {
        if (maxBoards == 0 || boards.isEmpty()) {
            return;
        }
        if (versions.size() + boards.size() > maxBoards) {
            versions.clear();
        }
        boards.forEach((board, version) -> versions.merge(board, version, Math::max));
    }

    /** Called by the runner whenever Kafka answered it: records polled, or the topic's id. */
    void heardFromKafka() {
        heardAt = nanoClock.getAsLong();
        heard = true;
    }

    /** Called by the runner before it positions itself again: what the database holds is the truth again. */
    void forgetAll() {
        versions.clear();
    }

    int size() {
        return versions.size();
    }
}
