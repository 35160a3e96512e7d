package io.scoreboard.bench;

import io.scoreboard.operator.cli.Console;
import io.scoreboard.operator.cli.Target;
import io.scoreboard.operator.rebuild.ReadModelRebuild;
import io.scoreboard.operator.rebuild.RebuildSource;
import io.scoreboard.startup.EventStoreTables;
import io.scoreboard.testsupport.TestDatabases;
import io.scoreboard.testsupport.TestKafka;
import java.io.BufferedReader;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Rebuild speed (issue 5, scenario 3 of the benchmarks): {@code rebuild} of N events from the event
 * store and from Kafka, each against the plain sequential read of the same events measured just
 * before on the same machine (a JDBC cursor over the event table; a consumer over the topic). The
 * rebuild figure is end to end: reading, folding, writing the new schema, switching.
 */
final class RebuildBenchmark {

    static final double TARGET_EVENTS_PER_SECOND = 50_000;
    private static final int PARTITIONS = BenchStack.PARTITIONS;

    private final long events;
    private final int boards;

    RebuildBenchmark(long events, int boards) {
        this.events = events;
        this.boards = boards;
    }

    ResultTable run() throws Exception {
        SyntheticHistory history = new SyntheticHistory(boards, events);
        try (TestDatabases databases = TestDatabases.create("bench")) {
            String bootstrap = TestKafka.bootstrapServers();
            String topic = TestKafka.uniqueTopic("bench-rebuild");
            BenchStack.createTopic(bootstrap, topic, databases.environment());
            BenchStack.seed(databases, bootstrap, topic, history);

            Target target = new Target("bench", databases.eventsJdbcUrl(),
                    databases.server().jdbcUrl(databases.readDatabase()), databases.ownerRole().user(),
                    databases.ownerRole().password(), bootstrap, topic, Optional.empty(), "benchmark");
            Console console = new Console(System.out, System.err, false, false,
                    new BufferedReader(new StringReader("")));

            Map<String, Object> context = Machine.describe(databases);
            context.put("events", events);
            context.put("boards", boards);
            context.put("partitions", PARTITIONS);
            ResultTable table = new ResultTable("Rebuild speed", context);

            double jdbcRead = rate(events, () -> sequentialJdbcRead(databases));
            BenchStack.say("plain sequential JDBC read: " + String.format("%,.0f", jdbcRead) + " events/s");
            ReadModelRebuild.Report fromStore = new ReadModelRebuild(target, console, Clock.systemUTC())
                    .run(RebuildSource.EVENT_STORE, Optional.empty());
            requireAll(fromStore);
            table.add(new ResultTable.Row("rebuild --source event-store", fromStore.eventsPerSecond(), "events/s",
                    "plain sequential JDBC read", jdbcRead, TARGET_EVENTS_PER_SECOND));

            double kafkaRead = rate(events, () -> plainConsume(bootstrap, topic));
            BenchStack.say("plain Kafka consume: " + String.format("%,.0f", kafkaRead) + " events/s");
            ReadModelRebuild.Report fromKafka = new ReadModelRebuild(target, console, Clock.systemUTC())
                    .run(RebuildSource.KAFKA, Optional.empty());
            requireAll(fromKafka);
            table.add(new ResultTable.Row("rebuild --source kafka", fromKafka.eventsPerSecond(), "events/s",
                    "plain Kafka consume", kafkaRead, TARGET_EVENTS_PER_SECOND));
            context.put("phases (ms) event-store", Map.of("fold", fromStore.foldMillis(), "write", fromStore.writeMillis(),
                    "switchLock", fromStore.switchLockMillis(), "total", fromStore.totalMillis()));
            context.put("phases (ms) kafka", Map.of("fold", fromKafka.foldMillis(), "write", fromKafka.writeMillis(),
                    "switchLock", fromKafka.switchLockMillis(), "total", fromKafka.totalMillis()));
            return table;
        }
    }

    private void requireAll(ReadModelRebuild.Report report) {
        if (report.eventsApplied() != events || report.boards() != boards) {
            throw new IllegalStateException("the rebuild applied " + report.eventsApplied() + " events to "
                    + report.boards() + " boards; expected " + events + " and " + boards);
        }
    }

    /** Reads every column of every event in position order, decoding nothing: the floor of a store rebuild. */
    private long sequentialJdbcRead(TestDatabases databases) throws Exception {
        long bytes = 0;
        long rows = 0;
        try (Connection c = BenchStack.owner(databases.eventsJdbcUrl(), databases)) {
            c.setAutoCommit(false);
            try (PreparedStatement p = c.prepareStatement("SELECT global_index, event_identifier, aggregate_identifier, "
                    + "sequence_number, time_stamp, payload_type, payload_revision, payload FROM "
                    + EventStoreTables.EVENTS + " "
                    + "ORDER BY global_index")) {
                p.setFetchSize(10_000);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        bytes += rs.getLong(1) + rs.getString(2).length() + rs.getString(3).length() + rs.getLong(4)
                                + rs.getString(5).length() + rs.getString(6).length() + rs.getString(7).length()
                                + rs.getBytes(8).length;
                        rows++;
                    }
                }
            }
            c.commit();
        }
        return check(rows, bytes);
    }

    /** Consumes the whole topic from the start, touching every value, decoding nothing. */
    private long plainConsume(String bootstrap, String topic) {
        long rows = 0;
        long bytes = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(topic, p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    bytes += r.key().length() + r.value().length;
                    rows++;
                }
            }
        }
        return check(rows, bytes);
    }

    private long check(long rows, long bytes) {
        if (rows != events || bytes <= 0) {
            throw new IllegalStateException("read " + rows + " events, expected " + events);
        }
        return rows;
    }

    @FunctionalInterface
    private interface Measured {
        long run() throws Exception;
    }

    private static double rate(long expected, Measured measured) throws Exception {
        long start = System.nanoTime();
        long n = measured.run();
        return n * 1e9 / (System.nanoTime() - start);
    }
}
