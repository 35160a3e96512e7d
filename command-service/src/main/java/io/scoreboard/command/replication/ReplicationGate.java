package io.scoreboard.command.replication;

import org.springframework.stereotype.Component;

/**
 * Decides when a committed write may be answered. In REPLICATED mode that is after Kafka has
 * acknowledged it; if that takes longer than the configured timeout the write is still stored
 * and will be replicated, but the client gets a 503 rather than a false promise.
 */
@Component
public class ReplicationGate {

    private final ReplicationProgress progress;
    private final ReplicationProperties properties;

    public ReplicationGate(ReplicationProgress progress, ReplicationProperties properties) {
        this.progress = progress;
        this.properties = properties;
    }

    /**
     * Returns once the durability mode allows answering a write whose last event is at
     * {@code position}; in REPLICATED mode throws {@link ReplicationPendingException} after the timeout.
     */
    public void awaitDurable(long position) {
        if (properties.durability() == Durability.LOCAL) {
            return;
        }
        try {
            if (!progress.awaitReplicated(position, properties.ackTimeout())) {
                throw new ReplicationPendingException(position, properties.ackTimeout().toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReplicationPendingException(position, properties.ackTimeout().toSeconds());
        }
    }

    /** Stored in PostgreSQL, not yet acknowledged by Kafka within the timeout. */
    public static final class ReplicationPendingException extends RuntimeException {
        private final long position;
        private final long retryAfterSeconds;

        public ReplicationPendingException(long position, long retryAfterSeconds) {
            super("The change is stored in the event store (position " + position + ") but Kafka has not "
                    + "acknowledged it yet; it will be replicated when Kafka is reachable. Retry with the "
                    + "same Idempotency-Key to get the original answer without a second change, or read the board "
                    + "before repeating it.");
            this.position = position;
            this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
        }

        public long position() {
            return position;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }
}
