package io.scoreboard.command.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scoreboard.command.scoreboard.AccessTokens;
import io.scoreboard.command.scoreboard.CommandOutcome;
import io.scoreboard.command.scoreboard.CommandRejectedException;
import io.scoreboard.command.scoreboard.CreateScoreboardCommand;
import io.scoreboard.command.scoreboard.Scoreboard;
import io.scoreboard.command.scoreboard.ScoreboardCommands.ChangeScoreCommand;
import io.scoreboard.command.scoreboard.ScoreboardLimits;
import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.testsupport.TestDatabases;
import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.messaging.annotation.ClasspathHandlerDefinition;
import org.axonframework.messaging.annotation.ClasspathParameterResolverFactory;
import org.axonframework.messaging.annotation.MultiParameterResolverFactory;
import org.axonframework.messaging.annotation.ParameterResolverFactory;
import org.axonframework.messaging.annotation.SimpleResourceParameterResolverFactory;
import org.axonframework.modelling.command.AggregateAnnotationCommandHandler;
import org.axonframework.serialization.Serializer;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.common.transaction.TransactionManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The committed-state cache on a real PostgreSQL event store: two "instances" (each its own
 * repository and cache) on one store, commands in Spring transactions as the service runs them (Axon
 * with no transaction manager of its own, ADR 0029).
 */
class CommittedStateRepositoryTest {

    private static final String ADMIN = "admin-token";
    private static final ScoreboardLimits LIMITS = new ScoreboardLimits(100);

    private TestDatabases databases;
    private TransactionTemplate transaction;
    private CountingEventStore eventStore;
    private TransactionManager axonTransactions;
    private StoredVersions storedVersions;
    /** Each test's board and its one participant. */
    private final UUID board = UUID.randomUUID();
    private final UUID ann = UUID.randomUUID();

    /** One command-service instance: its own cache and repository on the shared store. */
    private record Instance(CommittedAggregates<Scoreboard> kept, CommandGateway commands) {}

    /** Counts the loads that replay a board's whole history. */
    private static final class CountingEventStore extends EmbeddedEventStore {
        private int fullReads;
        private int readsSince;

        CountingEventStore(Builder builder) {
            super(builder);
        }

        @Override
        public DomainEventStream readEvents(String aggregateIdentifier) {
            fullReads++;
            return super.readEvents(aggregateIdentifier);
        }

        @Override
        public DomainEventStream readEvents(String aggregateIdentifier, long firstSequenceNumber) {
            readsSince++;
            return super.readEvents(aggregateIdentifier, firstSequenceNumber);
        }
    }

    @BeforeEach
    void start() {
        databases = TestDatabases.create();
        DriverManagerDataSource dataSource = new DriverManagerDataSource(databases.eventsJdbcUrl(),
                databases.appRole().user(), databases.appRole().password());
        DataSourceTransactionManager transactions = new DataSourceTransactionManager(dataSource);
        transaction = new TransactionTemplate(transactions);
        EventStoreConfiguration configuration = new EventStoreConfiguration();
        Serializer serializer = configuration.eventSerializer();
        axonTransactions = NoTransactionManager.INSTANCE;
        storedVersions = new StoredVersions(new JdbcTemplate(dataSource));
        eventStore = new CountingEventStore(EmbeddedEventStore.builder()
                .storageEngine(JdbcEventStorageEngine.builder()
                        .connectionProvider(new SpringDataSourceConnectionProvider(dataSource))
                        .transactionManager(axonTransactions)
                        .schema(configuration.eventSchema())
                        .eventSerializer(serializer)
                        .snapshotSerializer(serializer)
                        .build()));
    }

    private Instance instance(long maxWeight) {
        ParameterResolverFactory parameters = MultiParameterResolverFactory.ordered(
                ClasspathParameterResolverFactory.forClass(Scoreboard.class),
                new SimpleResourceParameterResolverFactory(Set.of(LIMITS)));
        CommittedAggregates<Scoreboard> kept = new CommittedAggregates<>(maxWeight, 4, Scoreboard::footprint);
        CommittedStateRepository<Scoreboard> repository = CommittedStateRepository.create(Scoreboard.class, eventStore,
                parameters, ClasspathHandlerDefinition.forClass(Scoreboard.class), kept);
        SimpleCommandBus bus = SimpleCommandBus.builder().transactionManager(axonTransactions).build();
        AggregateAnnotationCommandHandler.<Scoreboard>builder().aggregateType(Scoreboard.class).repository(repository)
                .parameterResolverFactory(parameters).build().subscribe(bus);
        return new Instance(kept, DefaultCommandGateway.builder().commandBus(bus).build());
    }

    @AfterEach
    void stop() {
        if (eventStore != null) {
            eventStore.shutDown();
        }
        if (databases != null) {
            databases.close();
        }
    }

    @Test
    void aCommittedBoard_continuesFromMemory_withoutReplayingItsHistory() {
        Instance a = instance(1_000);
        create(a);
        assertThat(a.kept().size()).as("the new board is kept once its transaction committed").isEqualTo(1);

        CommandOutcome first = change(a, "5");
        CommandOutcome second = change(a, "2");

        assertThat(eventStore.fullReads).as("no command replayed the board").isZero();
        assertThat(second.scores().get(ann)).isEqualByComparingTo("7");
        assertThat(second.version()).isEqualTo(first.version() + 1);
        assertThat(a.kept().take(board.toString()).version()).isEqualTo(second.version());
    }

    @Test
    void whatAnotherInstanceCommitted_isReadBeforeTheNextCommand() {
        Instance a = instance(1_000);
        Instance b = instance(1_000);
        create(a);
        change(a, "1");
        change(b, "2");   // b replays from the store; a's kept state is now behind
        CommandOutcome third = change(a, "3");
        CommandOutcome fourth = change(b, "4");

        assertThat(third.scores().get(ann)).as("a saw b's change").isEqualByComparingTo("6");
        assertThat(fourth.scores().get(ann)).as("b saw a's change").isEqualByComparingTo("10");
        assertThat(fourth.version()).isEqualTo(third.version() + 1);
        assertThat(eventStore.fullReads).as("only b's first load replayed the board").isEqualTo(1);
    }

    @Test
    void aRolledBackTransaction_leavesNothingOfItsChangeInMemory() {
        Instance a = instance(1_000);
        long created = create(a);

        // Axon's unit of work ends (and would have cached the root) before the outer transaction rolls
        // back, as when the Idempotency-Key's record fails to insert after the command.
        transaction.executeWithoutResult(status -> {
            a.commands().sendAndWait(new ChangeScoreCommand(board, ann, new BigDecimal("50"), null,
                    AccessTokens.hash(ADMIN), null));
            status.setRollbackOnly();
        });
        assertThat(a.kept().size()).isZero();

        CommandOutcome next = change(a, "1");
        assertThat(next.scores().get(ann)).as("the rolled-back 50 is gone").isEqualByComparingTo("1");
        assertThat(next.version()).as("no sequence number skipped").isEqualTo(created + 1);
    }

    @Test
    void aRefusedCommand_leavesTheBoardKept() {
        Instance a = instance(1_000);
        create(a);
        change(a, "5");

        // Refused by a rule before any event: the transaction rolls back with nothing of the board changed.
        assertThatThrownBy(() -> transaction.execute(status -> a.commands().sendAndWait(new ChangeScoreCommand(
                board, ann, new BigDecimal("0.00001"), null, AccessTokens.hash(ADMIN), null))))
                .isInstanceOf(CommandRejectedException.class);
        assertThat(a.kept().size()).as("the refused command left the board in memory").isEqualTo(1);

        CommandOutcome next = change(a, "1");
        assertThat(eventStore.fullReads).as("no command replayed the board").isZero();
        assertThat(next.scores().get(ann)).isEqualByComparingTo("6");
    }

    @Test
    void afterABatchReadTheBoardsVersion_aCurrentKeptBoardReadsNoEvents_andOneBehindStillCatchesUp() {
        Instance a = instance(1_000);
        Instance b = instance(1_000);
        create(a);
        change(a, "1");

        int readsBefore = eventStore.readsSince;
        CommandOutcome current = transaction.execute(status -> {
            storedVersions.readForThisTransaction(List.of(board));
            return a.commands().sendAndWait(changeScore("2"));
        });
        assertThat(eventStore.readsSince).as("the kept board was current: nothing to read").isEqualTo(readsBefore);
        assertThat(current.scores().get(ann)).isEqualByComparingTo("3");

        change(b, "4"); // another instance writes: a's kept board is behind
        CommandOutcome caughtUp = transaction.execute(status -> {
            storedVersions.readForThisTransaction(List.of(board));
            return a.commands().sendAndWait(changeScore("5"));
        });
        assertThat(caughtUp.scores().get(ann)).as("a read b's change first").isEqualByComparingTo("12");
        assertThat(caughtUp.version()).isEqualTo(current.version() + 2);
        assertThat(eventStore.readsSince).isEqualTo(readsBefore + 1);

        // Outside such a transaction the kept board is checked against the store, as before.
        change(a, "1");
        assertThat(eventStore.readsSince).isEqualTo(readsBefore + 2);
    }

    @Test
    void withNoBudget_everyCommandReplaysTheStore() {
        Instance a = instance(0);
        create(a);
        change(a, "1");
        CommandOutcome second = change(a, "1");

        assertThat(a.kept().size()).isZero();
        assertThat(eventStore.fullReads).isEqualTo(2);
        assertThat(second.scores().get(ann)).isEqualByComparingTo("2");
    }

    private long create(Instance instance) {
        transaction.executeWithoutResult(status -> instance.commands().sendAndWait(new CreateScoreboardCommand(board,
                "Quiz", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD,
                List.of(new CreateScoreboardCommand.NewParticipant(ann, "Ann")),
                AccessTokens.hash(ADMIN), AccessTokens.hash("keeper"))));
        return 1; // created + one participant: sequence numbers 0 and 1
    }

    private CommandOutcome change(Instance instance, String delta) {
        return transaction.execute(status -> instance.commands().sendAndWait(changeScore(delta)));
    }

    private ChangeScoreCommand changeScore(String delta) {
        return new ChangeScoreCommand(board, ann, new BigDecimal(delta), null, AccessTokens.hash(ADMIN), null);
    }
}
