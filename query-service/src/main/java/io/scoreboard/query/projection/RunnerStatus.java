package io.scoreboard.query.projection;

import java.time.Instant;

/**
 * What the projection runner is doing, for health. While it waits out a fault, {@code reason} names
 * the fault and {@code attempts} counts the failed tries since {@code since}; when it stopped on a
 * bad event, {@code reason} names the event (id, partition, offset).
 */
record RunnerStatus(State state, Instant since, String reason, int attempts) {

    enum State {
        STARTING,
        RUNNING,
        /**
         * The read database failed or is unreachable (lost connection, timeouts, lock or serialization
         * conflicts, or its read model is missing, e.g. dropped and not yet rebuilt): the runner retries
         * with a growing pause and re-reads its checkpoints when it is back.
         */
        WAITING_FOR_DATABASE,
        /** Kafka timed out or is unavailable: the same, until Kafka answers again. */
        WAITING_FOR_KAFKA,
        /** Something unexpected, not tied to an event, went wrong (logged with its stack): the same. */
        WAITING_AFTER_ERROR,
        /** Stopped on an event it cannot apply (named in reason); needs an operator and a restart. */
        FAILED,
        STOPPED;

        boolean waiting() {
            return this == WAITING_FOR_DATABASE || this == WAITING_FOR_KAFKA || this == WAITING_AFTER_ERROR;
        }
    }

    static RunnerStatus of(State state) {
        return new RunnerStatus(state, Instant.now(), null, 0);
    }

    static RunnerStatus waiting(State state, Instant since, String reason, int attempts) {
        return new RunnerStatus(state, since, reason, attempts);
    }

    static RunnerStatus failed(String reason) {
        return new RunnerStatus(State.FAILED, Instant.now(), reason, 0);
    }
}
