package io.scoreboard.operator;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.EventJson;
import io.scoreboard.operator.cli.Target;
import io.scoreboard.operator.source.TopicEvents;
import io.scoreboard.projections.checkpoint.PartitionCheckpoint;
import io.scoreboard.projections.checkpoint.ProjectionCheckpoints;
import io.scoreboard.projections.scoreboard.ScoreboardProjection;
import io.scoreboard.startup.TopicEnvironmentCheck;
import io.scoreboard.testsupport.TestDatabases;
import io.scoreboard.testsupport.TestKafka;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A Scoreboard installation for one test class, on real servers: its own event store and read
 * database ({@link TestDatabases}) and its own topic. Events are written as the command side writes
 * them (a row of {@code domain_event_entry} whose position PostgreSQL assigns, the catalogue's
 * payload JSON) and replicated as the replicator sends them (key = board, value = envelope JSON);
 * the read model is projected as the live runner does (checkpoints in the same transaction).
 */
public final class Installation implements AutoCloseable {

    public static final int PARTITIONS = 3;

    public final TestDatabases databases;
    public final String topic;
    private final KafkaProducer<String, byte[]> producer;

    private Installation(TestDatabases databases, String topic) {
        this.databases = databases;
        this.topic = topic;
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    /** Databases stamped {@code environment} and a new topic recorded as {@code environment}'s. */
    public static Installation create(String environment) {
        TestDatabases databases = TestDatabases.create(environment);
        String topic = TestKafka.uniqueTopic("operator");
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1)
                    .configs(Map.of("retention.ms", "-1", "cleanup.policy", "delete")))).all().get(30, TimeUnit.SECONDS);
            // Recorded as the installation's, as the first service to use a new topic records it (ADR 0017).
            try (TopicEnvironmentCheck identity = TopicEnvironmentCheck.open(TestKafka.bootstrapServers(), topic,
                    Target.TOPIC_SETTINGS)) {
                identity.claim(environment);
            }
        } catch (Exception e) {
            databases.close();
            throw new IllegalStateException("cannot create topic " + topic, e);
        }
        return new Installation(databases, topic);
    }

    /** The CLI's connection settings for this installation, then {@code extra}. */
    public String[] args(String environment, String... extra) {
        List<String> args = new ArrayList<>(List.of("--environment", environment,
                "--events-url", databases.eventsJdbcUrl(), "--read-url", databases.readJdbcUrl(),
                "--db-user", databases.ownerRole().user(), "--db-password", databases.ownerRole().password(),
                "--kafka", TestKafka.bootstrapServers(), "--topic", topic));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    /** The command line for {@code command} against this installation, as its own environment. */
    public String[] command(String command, String... extra) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(List.of(args(databases.environment(), extra)));
        return args.toArray(String[]::new);
    }

    /** {@code args} with the value after {@code flag} replaced. */
    public static String[] with(String[] args, String flag, String value) {
        String[] result = args.clone();
        int at = List.of(result).indexOf(flag);
        if (at < 0) {
            throw new IllegalArgumentException(flag + " is not among the arguments");
        }
        result[at + 1] = value;
        return result;
    }

    /** Appends to the event store and returns the event with the position PostgreSQL gave it. */
    public EventEnvelope store(EventEnvelope e) throws SQLException {
        try (Connection c = app(databases.eventsJdbcUrl()); PreparedStatement p = c.prepareStatement("""
                INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type,
                       time_stamp, payload_type, payload_revision, payload)
                VALUES (?, ?, ?, 'Scoreboard', ?, ?, ?, ?) RETURNING global_index""")) {
            p.setString(1, e.eventId().toString());
            p.setString(2, e.scoreboardId().toString());
            p.setLong(3, e.sequenceNumber());
            p.setString(4, e.occurredAt().toString());
            p.setString(5, e.type());
            p.setString(6, Integer.toString(e.typeVersion()));
            p.setBytes(7, EventJson.writePayload(e.payload()));
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return new EventEnvelope(e.eventId(), e.scoreboardId(), e.sequenceNumber(), rs.getLong(1),
                        e.occurredAt(), e.type(), e.typeVersion(), e.payload());
            }
        }
    }

    /** Sends one copy of the event to the topic, as the replicator does. */
    public void publish(EventEnvelope e) throws Exception {
        producer.send(new ProducerRecord<>(topic, e.scoreboardId().toString(), EventJson.writeEnvelope(e)))
                .get(30, TimeUnit.SECONDS);
    }

    /** Stores and replicates each event; returns them with their positions. */
    public List<EventEnvelope> append(EventEnvelope... events) throws Exception {
        List<EventEnvelope> stored = new ArrayList<>();
        for (EventEnvelope e : events) {
            EventEnvelope s = store(e);
            publish(s);
            stored.add(s);
        }
        return stored;
    }

    /** Records the replicator's committed token as Axon's Jackson serializer writes it. */
    public void replicatorToken(long index, long... gaps) throws SQLException {
        StringBuilder json = new StringBuilder("{\"index\":").append(index).append(",\"gaps\":[");
        for (int i = 0; i < gaps.length; i++) {
            json.append(i == 0 ? "" : ",").append(gaps[i]);
        }
        json.append("]}");
        try (Connection c = app(databases.eventsJdbcUrl()); PreparedStatement p = c.prepareStatement("""
                INSERT INTO token_entry (processor_name, segment, token, token_type, timestamp)
                VALUES ('kafka-replicator', 0, ?, 'org.axonframework.eventhandling.GapAwareTrackingToken', '2026-01-01T00:00:00Z')
                ON CONFLICT (processor_name, segment) DO UPDATE SET token = EXCLUDED.token""")) {
            p.setBytes(1, json.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            p.executeUpdate();
        }
    }

    /** Projects the whole topic into the read model in one transaction, checkpoints included, as the live runner does. */
    public void project() throws Exception {
        ScoreboardProjection projection = new ScoreboardProjection();
        try (TopicEvents events = new TopicEvents(TestKafka.bootstrapServers(), topic);
             Connection c = app(databases.readJdbcUrl())) {
            c.setAutoCommit(false);
            Map<Integer, Long> from = new TreeMap<>();
            new ProjectionCheckpoints().load(c, ScoreboardProjection.NAME, topic)
                    .forEach((partition, checkpoint) -> from.put(partition, checkpoint.nextOffset()));
            Map<Integer, Long> to = events.endOffsets();
            Map<Integer, Long> maxPosition = new TreeMap<>();
            events.read(from, to, (partition, offset, e) -> {
                projection.apply(c, e);
                maxPosition.merge(partition, e.position(), Math::max);
            });
            List<PartitionCheckpoint> checkpoints = new ArrayList<>();
            to.forEach((p, end) -> checkpoints.add(new PartitionCheckpoint(p, end, maxPosition.getOrDefault(p, 0L))));
            new ProjectionCheckpoints().save(c, ScoreboardProjection.NAME, topic, checkpoints);
            c.commit();
        }
    }

    /** Runs SQL on the read model as the owner (a test's tampering). */
    public void onReadModel(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(databases.readJdbcUrl(), databases.ownerRole().user(),
                databases.ownerRole().password()); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    public long count(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, databases.ownerRole().user(),
                databases.ownerRole().password()); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()));
    }

    private Connection app(String url) throws SQLException {
        return DriverManager.getConnection(url, databases.appRole().user(), databases.appRole().password());
    }

    @Override
    public void close() {
        producer.close();
        try (Admin admin = admin()) {
            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // a leftover uniquely named topic harms no other test
        }
        databases.close();
    }
}
