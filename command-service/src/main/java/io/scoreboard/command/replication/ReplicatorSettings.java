package io.scoreboard.command.replication;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.UUID;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How the replicator works (scoreboard.replicator.*).
 *
 * @param batchSize     events read and sent per cycle at most
 * @param batchBytes    payload bytes read per cycle at most (one larger event still goes alone): with
 *                      batchSize, this bounds the replicator's memory whatever the events
 * @param pollInterval  how often an idle replicator looks for events written by other instances (its own
 *                      instance's writes wake it at once)
 * @param claimInterval how often an instance that does not replicate checks whether the claim is free,
 *                      and how long a cycle waits for the claim's row lock
 * @param claimRefresh  how often an idle replicator renews its claim
 * @param claimTimeout  a claim not renewed for this long is free (the operator CLI assumes 10 s)
 * @param connections   connections of the replicator's own pool
 * @param maxRequestSize the producer's max.request.size: the largest record it sends (an event's envelope);
 *                      checked at start-up against scoreboard.limits.max-event-size and the topic's limit
 */
@Validated
@ConfigurationProperties("scoreboard.replicator")
public record ReplicatorSettings(
        @DefaultValue("5000") @Min(1) @Max(50_000) int batchSize,
        @DefaultValue("16MB") @NotNull DataSize batchBytes,
        @DefaultValue("50ms") @NotNull Duration pollInterval,
        @DefaultValue("1s") @NotNull Duration claimInterval,
        @DefaultValue("2s") @NotNull Duration claimRefresh,
        @DefaultValue("10s") @NotNull Duration claimTimeout,
        @DefaultValue("2") @Min(1) @Max(10) int connections,
        @DefaultValue("1MB") @NotNull DataSize maxRequestSize) {

    public ReplicatorSettings {
        if (claimTimeout != null && claimRefresh != null && claimTimeout.compareTo(claimRefresh.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("scoreboard.replicator.claim-timeout (" + claimTimeout + ") must be at "
                    + "least twice scoreboard.replicator.claim-refresh (" + claimRefresh + "), or a busy instance "
                    + "loses its claim while it replicates; raise the timeout or lower the refresh");
        }
    }

    /**
     * How a replicator names itself as the claim's owner: the mark of a replicator (it keeps a presence,
     * {@link ReplicatorPresence}), Axon's convention (pid@host), plus a nonce, so that two replicators are never
     * mistaken for one (a restarted service in a reused pid, or tests).
     */
    static String owner() {
        return ReplicatorPresence.OWNER_MARK + ManagementFactory.getRuntimeMXBean().getName() + "#" + UUID.randomUUID().toString().substring(0, 8);
    }
}
