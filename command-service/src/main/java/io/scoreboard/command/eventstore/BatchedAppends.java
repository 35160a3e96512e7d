package io.scoreboard.command.eventstore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Axon's storage engine, with the appends of a group-commit batch (ADR 0029) written as one JDBC batch:
 * while a transaction has asked for it ({@link #deferInThisTransaction()}), each command's events are
 * collected instead of inserted, and {@link #flush()} inserts all of them in one round trip before the
 * transaction reads their positions and commits. Nothing is visible to anyone before that commit either
 * way, and the batch holds each board once, so no command of the batch reads what another one deferred.
 * Outside such a transaction every append goes straight to the engine, as before.
 */
public final class BatchedAppends implements EventStorageEngine {

    private final EventStorageEngine engine;

    BatchedAppends(EventStorageEngine engine) {
        this.engine = engine;
    }

    /** Collects this transaction's appends until {@link #flush()}. */
    public static void deferInThisTransaction() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            throw new IllegalStateException("appends are deferred per transaction: none is active");
        }
        if (TransactionSynchronizationManager.hasResource(BatchedAppends.class)) {
            return;
        }
        TransactionSynchronizationManager.bindResource(BatchedAppends.class, new Deferred());
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(BatchedAppends.class);
            }
        });
    }

    /** Inserts what this transaction deferred, in the order it was appended; appends go straight on after it. */
    public static void flush() {
        if (TransactionSynchronizationManager.unbindResourceIfPossible(BatchedAppends.class) instanceof Deferred deferred
                && !deferred.events.isEmpty()) {
            deferred.engine.appendEvents(deferred.events);
        }
    }

    /** The events one transaction has appended so far, and the engine they go to. */
    private static final class Deferred {
        private final List<EventMessage<?>> events = new ArrayList<>();
        private EventStorageEngine engine;
    }

    @Override
    public void appendEvents(List<? extends EventMessage<?>> events) {
        if (TransactionSynchronizationManager.getResource(BatchedAppends.class) instanceof Deferred deferred) {
            deferred.engine = engine;
            deferred.events.addAll(events);
        } else {
            engine.appendEvents(events);
        }
    }

    @Override
    public void storeSnapshot(DomainEventMessage<?> snapshot) {
        engine.storeSnapshot(snapshot);
    }

    @Override
    public Stream<? extends TrackedEventMessage<?>> readEvents(TrackingToken trackingToken, boolean mayBlock) {
        return engine.readEvents(trackingToken, mayBlock);
    }

    @Override
    public DomainEventStream readEvents(String aggregateIdentifier, long firstSequenceNumber) {
        return engine.readEvents(aggregateIdentifier, firstSequenceNumber);
    }

    @Override
    public Optional<DomainEventMessage<?>> readSnapshot(String aggregateIdentifier) {
        return engine.readSnapshot(aggregateIdentifier);
    }

    @Override
    public Optional<Long> lastSequenceNumberFor(String aggregateIdentifier) {
        return engine.lastSequenceNumberFor(aggregateIdentifier);
    }

    @Override
    public TrackingToken createTailToken() {
        return engine.createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return engine.createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return engine.createTokenAt(dateTime);
    }
}
