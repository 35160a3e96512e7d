package io.scoreboard.projections;

import io.scoreboard.events.EventEnvelope;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A read model as a plain function of events. The same code runs live (query-service) and in a
 * rebuild, so it knows nothing about Kafka, Spring or where events come from.
 *
 * <p>Contract: events are applied inside the caller's transaction, through a {@link Batch} that the
 * caller {@linkplain Batch#finish() finishes} before it commits together with its checkpoint. A
 * projection is idempotent (a duplicate delivery changes nothing and returns
 * {@link Outcome#DUPLICATE}), and fails loudly: an event it cannot apply throws
 * {@link ProjectionException} and must stop the caller; it is never logged and skipped.
 */
public interface Projection {

    /** Fixed name; keys the checkpoints, so renaming it means a full rebuild. */
    String name();

    /**
     * A run of events in the caller's transaction. The projection may queue writes and send them
     * together (one round trip for many rows, not several per event): a queued write's failure then
     * surfaces from a later {@link Batch#apply} or from {@link Batch#finish}, naming its own event.
     */
    Batch batch(Connection connection);

    /** One event on its own: a batch of one. */
    default Outcome apply(Connection connection, EventEnvelope event) throws SQLException {
        Batch batch = batch(connection);
        Outcome outcome = batch.apply(event);
        batch.finish();
        return outcome;
    }

    /** Events applied in order inside one transaction; not thread-safe, one per transaction. */
    interface Batch {

        Outcome apply(EventEnvelope event) throws SQLException;

        /** Writes whatever is still queued; the caller commits after this, or rolls back. */
        void finish() throws SQLException;
    }

    enum Outcome {
        APPLIED,
        /** Already reflected in the read model (at-least-once delivery). */
        DUPLICATE
    }
}
