package io.scoreboard.command.eventstore;

import io.scoreboard.events.EventJson;
import io.scoreboard.startup.EventStoreTables;
import javax.sql.DataSource;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The PostgreSQL event store: Axon's JDBC engine on the tables created by the migrations in
 * infra/database (snake_case, because PostgreSQL folds Axon's camelCase defaults).
 *
 * <p>Axon works inside the transaction CommandExecution opened and never ends or rolls back one itself
 * (ADR 0029): several commands share one transaction, and one refused by its rules must not take the
 * others with it. By default Axon would mark the shared Spring transaction rollback-only on a refusal, and
 * its unit-of-work connection wrapper would roll back the connection underneath Spring.
 */
@Configuration(proxyBeanMethods = false)
public class EventStoreConfiguration {

    /** No transactions of Axon's own: the caller's Spring transaction is the only one. */
    @Bean
    public TransactionManager axonTransactionManager() {
        return NoTransactionManager.INSTANCE;
    }

    /**
     * The Spring transaction's connection, with no unit-of-work wrapper (that one commits or rolls back the
     * connection when a command's unit of work ends). Its commit is a no-op on a transactional connection.
     */
    @Bean
    public ConnectionProvider connectionProvider(DataSource dataSource) {
        return new SpringDataSourceConnectionProvider(dataSource);
    }

    /** Axon's storage engine (its JDBC one, as Spring Boot configures it) inside {@link BatchedAppends}. */
    @Bean
    static BeanPostProcessor batchedAppends() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                return bean instanceof EventStorageEngine engine && !(bean instanceof BatchedAppends)
                        ? new BatchedAppends(engine) : bean;
            }
        };
    }

    @Bean
    public EventSchema eventSchema() {
        return EventSchema.builder()
                .eventTable(EventStoreTables.EVENTS)
                .snapshotTable(EventStoreTables.SNAPSHOTS)
                .globalIndexColumn("global_index")
                .timestampColumn("time_stamp")
                .eventIdentifierColumn("event_identifier")
                .aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number")
                .typeColumn("type")
                .payloadTypeColumn("payload_type")
                .payloadRevisionColumn("payload_revision")
                .payloadColumn("payload")
                .metaDataColumn("meta_data")
                .build();
    }

    @Bean
    public TokenSchema tokenSchema() {
        return TokenSchema.builder()
                .setTokenTable(EventStoreTables.TOKENS)
                .setProcessorNameColumn("processor_name")
                .setSegmentColumn("segment")
                .setTokenColumn("token")
                .setTokenTypeColumn("token_type")
                .setTimestampColumn("timestamp")
                .setOwnerColumn("owner")
                .build();
    }

    @Bean
    @Qualifier("eventSerializer")
    public Serializer eventSerializer() {
        // A copy: JacksonSerializer registers its own modules on the mapper it is given.
        Serializer jackson = JacksonSerializer.builder().objectMapper(EventJson.mapper().copy()).build();
        return new CatalogueEventSerializer(jackson);
    }
}
