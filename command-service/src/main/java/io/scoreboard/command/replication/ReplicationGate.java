package io.scoreboard.command.replication;

import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Decides when a committed write may be answered. In REPLICATED mode that is after Kafka has
 * acknowledged it; if that takes longer than the configured timeout the write is still stored
 * and will be replicated, but the client gets a 503 rather than a false promise.
 */
@Component
public class ReplicationGate {

    private final EventPositions positions;
    private final ReplicationProgress progress;
    private final ReplicationProperties properties;

    public ReplicationGate(EventPositions positions, ReplicationProgress progress, ReplicationProperties properties) {
        this.positions = positions;
        this.progress = progress;
        this.properties = properties;
    }

    /** Returns the position of the board's event {@code version}, once the durability mode allows answering. */
    public long awaitDurable(UUID scoreboardId, long version) {
        long position = positions.positionOf(scoreboardId, version);
        if (properties.durability() == Durability.LOCAL) {
            return position;
        }
        try {
            if (!progress.awaitReplicated(position, properties.ackTimeout())) {
                throw new ReplicationPendingException(position, properties.ackTimeout().toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReplicationPendingException(position, properties.ackTimeout().toSeconds());
        }
        return position;
    }

    /** Stored in PostgreSQL, not yet acknowledged by Kafka within the timeout. */
    public static final class ReplicationPendingException extends RuntimeException {
        private final long position;
        private final long retryAfterSeconds;

        public ReplicationPendingException(long position, long retryAfterSeconds) {
            super("The change is stored in the event store (position " + position + ") but Kafka has not "
                    + "acknowledged it yet; it will be replicated when Kafka is reachable. Do not repeat the "
                    + "change blindly: read the board first, it may already contain it.");
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
