package io.scoreboard.query.projection;

import java.time.Instant;

/**
 * What the projection runner is doing, for health. {@code reason} is set when it failed and
 * names the event (id, partition, offset) it stopped at.
 */
record RunnerStatus(State state, Instant since, String reason) {

    enum State {
        STARTING,
        RUNNING,
        /**
         * The read database is unreachable (or its read model is missing, e.g. dropped and not yet
         * rebuilt): the runner retries with a growing pause and re-reads its checkpoints when it is back.
         */
        WAITING_FOR_DATABASE,
        /** Stopped by an event it could not apply (or an infrastructure error); needs an operator. */
        FAILED,
        STOPPED
    }

    static RunnerStatus of(State state) {
        return new RunnerStatus(state, Instant.now(), null);
    }

    static RunnerStatus waiting(String reason) {
        return new RunnerStatus(State.WAITING_FOR_DATABASE, Instant.now(), reason);
    }

    static RunnerStatus failed(String reason) {
        return new RunnerStatus(State.FAILED, Instant.now(), reason);
    }
}
