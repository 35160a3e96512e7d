package io.scoreboard.command.scoreboard.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scoreboard.command.eventstore.EventStoreConfiguration;
import io.scoreboard.command.scoreboard.AccessTokens;
import io.scoreboard.command.scoreboard.CommandRejectedException;
import io.scoreboard.command.scoreboard.CreateScoreboardCommand;
import io.scoreboard.command.scoreboard.ErrorCode;
import io.scoreboard.command.scoreboard.Scoreboard;
import io.scoreboard.command.scoreboard.ScoreboardCommands.RecordRoundCommand;
import io.scoreboard.command.scoreboard.ScoreboardLimits;
import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.testsupport.TestDatabases;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.messaging.annotation.ClasspathParameterResolverFactory;
import org.axonframework.messaging.annotation.MultiParameterResolverFactory;
import org.axonframework.messaging.annotation.ParameterResolverFactory;
import org.axonframework.messaging.annotation.SimpleResourceParameterResolverFactory;
import org.axonframework.modelling.command.AggregateAnnotationCommandHandler;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.unit.DataSize;

/**
 * The event size limit on Axon's JDBC engine and a real PostgreSQL event store, wired as the service wires
 * it: every event is serialized once, for the check and the store together, and a refused one is not stored.
 */
class EventSizeLimitStoreTest {

    private static final String ADMIN = "admin-token";
    private static final DataSize LIMIT = DataSize.ofKilobytes(1);

    private TestDatabases databases;
    private EmbeddedEventStore eventStore;
    private CountingSerializer serializer;
    private TransactionTemplate transaction;
    private CommandGateway commands;
    private JdbcTemplate jdbc;

    @BeforeEach
    void start() {
        databases = TestDatabases.create();
        DriverManagerDataSource dataSource = new DriverManagerDataSource(databases.eventsJdbcUrl(),
                databases.appRole().user(), databases.appRole().password());
        jdbc = new JdbcTemplate(dataSource);
        DataSourceTransactionManager transactions = new DataSourceTransactionManager(dataSource);
        transaction = new TransactionTemplate(transactions);
        SpringTransactionManager axonTransactions = new SpringTransactionManager(transactions);
        EventStoreConfiguration configuration = new EventStoreConfiguration();
        serializer = new CountingSerializer(configuration.eventSerializer());
        eventStore = EmbeddedEventStore.builder()
                .storageEngine(JdbcEventStorageEngine.builder()
                        .connectionProvider(new SpringDataSourceConnectionProvider(dataSource))
                        .transactionManager(axonTransactions)
                        .schema(configuration.eventSchema())
                        .eventSerializer(serializer)
                        .snapshotSerializer(serializer)
                        .build())
                .build();
        eventStore.registerDispatchInterceptor(new EventSizeLimit(LIMIT, serializer));
        ParameterResolverFactory parameters = MultiParameterResolverFactory.ordered(
                ClasspathParameterResolverFactory.forClass(Scoreboard.class),
                new SimpleResourceParameterResolverFactory(Set.of(new ScoreboardLimits(100))));
        EventSourcingRepository<Scoreboard> repository = EventSourcingRepository.builder(Scoreboard.class)
                .eventStore(eventStore).parameterResolverFactory(parameters).build();
        SimpleCommandBus bus = SimpleCommandBus.builder().transactionManager(axonTransactions).build();
        AggregateAnnotationCommandHandler.<Scoreboard>builder().aggregateType(Scoreboard.class).repository(repository)
                .parameterResolverFactory(parameters).build().subscribe(bus);
        commands = DefaultCommandGateway.builder().commandBus(bus).build();
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
    void everyStoredEvent_isSerializedOnce_andARefusedOneIsNotStored() {
        UUID board = UUID.randomUUID();
        List<UUID> participants = IntStream.range(0, 20).mapToObj(i -> UUID.randomUUID()).toList();
        send(new CreateScoreboardCommand(board, "Sized", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD,
                participants.stream().map(p -> new CreateScoreboardCommand.NewParticipant(p, "P-" + p)).toList(),
                AccessTokens.hash(ADMIN), AccessTokens.hash("keeper")));
        send(round(board, participants.subList(0, 2)));
        long stored = storedEvents();
        assertThat(stored).as("created, 20 participants added, one small round").isEqualTo(22);

        // 20 deltas make an event of about 2 KB: refused before anything is stored.
        assertThatThrownBy(() -> send(round(board, participants)))
                .isInstanceOfSatisfying(CommandRejectedException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED));
        assertThat(storedEvents()).as("nothing of the refused command was stored").isEqualTo(stored);

        assertThat(serializer.events()).as("one serialization per stored event, plus the refused one it measured")
                .isEqualTo(stored + 1);
    }

    private static RecordRoundCommand round(UUID board, List<UUID> participants) {
        Map<UUID, BigDecimal> deltas = new LinkedHashMap<>();
        participants.forEach(p -> deltas.put(p, new BigDecimal("1.25")));
        return new RecordRoundCommand(board, "round", deltas, AccessTokens.hash(ADMIN), null);
    }

    private void send(Object command) {
        transaction.executeWithoutResult(status -> commands.sendAndWait(command));
    }

    private long storedEvents() {
        return jdbc.queryForObject("SELECT count(*) FROM domain_event_entry", Long.class);
    }
}
