package io.scoreboard.command.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.scoreboard.command.replication.ReplicationProperties.LocalBacklogProperties;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** LOCAL-mode writes wait for a working replicator when they run too far ahead, never for a stalled one. */
class LocalBacklogTest {

    private static final LocalBacklogProperties LIMITS = new LocalBacklogProperties(
            Duration.ofMillis(20), Duration.ofSeconds(10), Duration.ofSeconds(1));

    /** Progress as the replicator reports it; no stored token behind it. */
    private final ReplicationProgress progress = new ReplicationProgress(new StoredReplicatorToken(null) {
        @Override
        Optional<Coverage> read() {
            return Optional.empty();
        }
    });

    private LocalBacklog backlog(Durability durability) {
        return new LocalBacklog(progress, new ReplicationProperties(durability, Duration.ofSeconds(5), LIMITS),
                new SimpleMeterRegistry());
    }

    @Test
    void aBatchWaitsForAWorkingReplicator_onceTheOldestUnreplicatedCommitIsOlderThanMaxAge() throws Exception {
        LocalBacklog backlog = backlog(Durability.LOCAL);
        progress.advance(new Coverage(5, new long[0])); // the replicator works
        backlog.committed(10);
        backlog.awaitRoom(); // young: no wait
        Thread.sleep(40);
        CompletableFuture<Void> batch = CompletableFuture.runAsync(backlog::awaitRoom);
        Thread.sleep(200);
        assertThat(batch).as("waits while position 10 is not in Kafka").isNotDone();
        progress.advance(new Coverage(10, new long[0]));
        batch.get(5, TimeUnit.SECONDS);
        long start = System.nanoTime();
        backlog.awaitRoom(); // replicated: nothing left to wait for
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(1));
    }

    @Test
    void aStalledReplicator_isNotWaitedFor() throws Exception {
        LocalBacklog backlog = backlog(Durability.LOCAL);
        backlog.committed(10); // Kafka never acknowledged anything
        Thread.sleep(40);
        long start = System.nanoTime();
        backlog.awaitRoom();
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(1));
    }

    @Test
    void replicatedMode_neverWaitsHere() throws Exception {
        LocalBacklog backlog = backlog(Durability.REPLICATED);
        progress.advance(new Coverage(5, new long[0]));
        backlog.committed(10);
        Thread.sleep(40);
        long start = System.nanoTime();
        backlog.awaitRoom();
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(1));
    }
}
