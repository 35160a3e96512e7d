package io.scoreboard.projections;

import io.scoreboard.events.EventEnvelope;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A read model as a plain function of events. The same code runs live (query-service) and in a
 * rebuild, so it knows nothing about Kafka, Spring or where events come from.
 *
 * <p>Contract: {@link #apply} runs inside the caller's transaction (the caller commits together
 * with its checkpoint), is idempotent (a duplicate delivery changes nothing and returns
 * {@link Outcome#DUPLICATE}), and fails loudly: an event it cannot apply throws
 * {@link ProjectionException} and must stop the caller; it is never logged and skipped.
 */
public interface Projection {

    /** Fixed name; keys the checkpoints, so renaming it means a full rebuild. */
    String name();

    Outcome apply(Connection connection, EventEnvelope event) throws SQLException;

    enum Outcome {
        APPLIED,
        /** Already reflected in the read model (at-least-once delivery). */
        DUPLICATE
    }
}
