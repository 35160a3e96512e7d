package io.scoreboard.query.projection;

import org.apache.kafka.common.KafkaException;

/**
 * Something the projection runner waits out instead of stopping (docs/adr/0018): everything that
 * goes wrong and is not an event the projection cannot apply.
 */
record Fault(Kind kind, String message, Throwable cause) {

    enum Kind {
        /** The read database: unreachable, recreated, timed out, in conflict, missing its read model. */
        DATABASE(RunnerStatus.State.WAITING_FOR_DATABASE),
        /** Kafka timed out or is unavailable (also: not authorised, a topic it cannot describe). */
        KAFKA(RunnerStatus.State.WAITING_FOR_KAFKA),
        /** Anything else outside an event; logged with its stack, since it is probably a bug. */
        OTHER(RunnerStatus.State.WAITING_AFTER_ERROR);

        private final RunnerStatus.State state;

        Kind(RunnerStatus.State state) {
            this.state = state;
        }
    }

    static Fault of(RuntimeException e) {
        if (e instanceof ProjectionRunner.DatabaseUnavailable) {
            return new Fault(Kind.DATABASE, e.getMessage(), e);
        }
        if (e instanceof ProjectionRunner.KafkaUnreachable) {
            return new Fault(Kind.KAFKA, e.getMessage(), e);
        }
        if (e instanceof KafkaException) {
            return new Fault(Kind.KAFKA, e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
        return new Fault(Kind.OTHER, e.toString(), e);
    }

    RunnerStatus.State state() {
        return kind.state;
    }

    String describe() {
        return switch (kind) {
            case DATABASE -> "the read database is unavailable or failing: " + message;
            case KAFKA -> "Kafka failed: " + message;
            case OTHER -> "unexpected failure: " + message;
        };
    }
}
