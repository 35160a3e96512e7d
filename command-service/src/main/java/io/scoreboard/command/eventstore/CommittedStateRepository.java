package io.scoreboard.command.eventstore;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.axonframework.eventsourcing.EventSourcedAggregate;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.GenericAggregateFactory;
import org.axonframework.eventsourcing.NoSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.annotation.HandlerDefinition;
import org.axonframework.messaging.annotation.ParameterResolverFactory;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.modelling.command.inspection.AggregateModel;
import org.axonframework.modelling.command.inspection.AnnotatedAggregateMetaModelFactory;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The event-sourcing repository with a cache that cannot serve a stale board. A command starts from
 * the state its board's last committed write left in this instance ({@link CommittedAggregates}) and
 * reads only the events stored after it (another instance may have written since), instead of the
 * board's whole history. The state goes back into the cache when the Spring transaction the command
 * ran in has committed, not when Axon's unit of work ends: the idempotency record is written after
 * that, in the same transaction, and may still roll it back (ADR 0012).
 *
 * <p>Outside a Spring transaction nothing is cached and every load replays the store, as Axon's plain
 * repository does.
 */
public final class CommittedStateRepository<T> extends EventSourcingRepository<T> {

    private final EventStore eventStore;
    private final CommittedAggregates<T> committed;

    private CommittedStateRepository(Builder<T> builder, EventStore eventStore, CommittedAggregates<T> committed) {
        super(builder.eventStore(eventStore));
        this.eventStore = eventStore;
        this.committed = committed;
    }

    /**
     * A repository of {@code type} whose roots are made by their no-argument constructor (not as Spring
     * prototype beans: a tenth of a command's CPU when replaying) and whose handlers get their
     * parameters from {@code parameters}.
     */
    static <T> CommittedStateRepository<T> create(Class<T> type, EventStore eventStore,
                                                  ParameterResolverFactory parameters, HandlerDefinition handlers,
                                                  CommittedAggregates<T> committed) {
        AggregateModel<T> model = AnnotatedAggregateMetaModelFactory.inspectAggregate(type, parameters, handlers);
        return new CommittedStateRepository<>(EventSourcingRepository.builder(type)
                .aggregateModel(model)
                .aggregateFactory(new GenericAggregateFactory<>(model)), eventStore, committed);
    }

    @Override
    protected EventSourcedAggregate<T> doCreateNewForLock(Callable<T> factoryMethod) throws Exception {
        EventSourcedAggregate<T> aggregate = super.doCreateNewForLock(factoryMethod);
        keepAfterCommit(aggregate);
        return aggregate;
    }

    @Override
    protected EventSourcedAggregate<T> doLoadWithLock(String aggregateIdentifier, Long expectedVersion) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return super.doLoadWithLock(aggregateIdentifier, expectedVersion);
        }
        CommittedAggregates.Entry<T> kept = committed.take(aggregateIdentifier);
        EventSourcedAggregate<T> aggregate;
        if (kept == null) {
            aggregate = super.doLoadWithLock(aggregateIdentifier, expectedVersion);
        } else {
            aggregate = EventSourcedAggregate.reconstruct(kept.root(), aggregateModel(), kept.version(), false,
                    eventStore, NoSnapshotTriggerDefinition.TRIGGER);
            // Whatever was committed since (by another instance): the caller holds the board's lock, so
            // nothing can commit between this read and its own append. A group-commit batch read the board's
            // latest version after it took the lock; when that is the kept one, there is nothing to read.
            if (!StoredVersions.isLatest(aggregateIdentifier, kept.version())) {
                DomainEventStream since = eventStore.readEvents(aggregateIdentifier, kept.version() + 1);
                if (since.hasNext()) {
                    aggregate.initializeState(since);
                }
            }
        }
        keepAfterCommit(aggregate);
        return aggregate;
    }

    private void keepAfterCommit(EventSourcedAggregate<T> aggregate) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return;
        }
        // What the store holds (null for a new board): all the root has seen before the command ran.
        Long loaded = aggregate.version();
        // The command's own outcome: several commands may share one transaction (ADR 0029), which commits
        // although this one was refused; its root then holds nothing the store does not, or is dropped.
        AtomicBoolean refused = new AtomicBoolean();
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().onRollback(unitOfWork -> refused.set(true));
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                Long version = aggregate.version();
                if (version == null || aggregate.isDeleted()) {
                    return;
                }
                // Committed with the command's events: the root is what the store now holds. Otherwise (rolled
                // back, unknown, or the command refused) the root may hold changes the store does not, so it is
                // dropped, unless the command applied no event (handlers check their rules before they apply
                // anything) and it is still as loaded.
                boolean unchanged = loaded != null && loaded.equals(version);
                if ((status == STATUS_COMMITTED && !refused.get()) || unchanged) {
                    committed.put(aggregate.identifierAsString(), aggregate.getAggregateRoot(), version);
                }
            }
        });
    }
}
