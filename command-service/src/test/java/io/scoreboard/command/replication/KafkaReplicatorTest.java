package io.scoreboard.command.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.scoreboard.events.EventCatalogue;
import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.EventJson;
import io.scoreboard.events.ParticipantAddedEvent;
import io.scoreboard.events.ScoreboardEvent;
import io.scoreboard.startup.ReplicatorToken;
import io.scoreboard.startup.TopicEnvironment;
import io.scoreboard.startup.TopicEnvironmentCheck;
import io.scoreboard.startup.TopicRefusedException;
import io.scoreboard.testsupport.TestDatabases;
import io.scoreboard.testsupport.TestKafka;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.util.unit.DataSize;

/**
 * The replicator on a real PostgreSQL event store and a real Kafka broker, with transactions that commit
 * late: nothing committed is ever skipped, a waiting write is released only once Kafka holds it, and
 * its memory is the gaps, not gaps times events in flight.
 */
class KafkaReplicatorTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private TestDatabases databases;
    private String topic;
    private Producer<String, byte[]> producer;
    private Admin admin;
    private final List<KafkaReplicator> replicators = new ArrayList<>();
    private ReplicationProgress progress;
    private ReplicationGate gate;
    private ReplicationStatus status;
    /** The meters of the replicator started last. */
    private SimpleMeterRegistry meters;

    @BeforeEach
    void start() throws Exception {
        databases = TestDatabases.create();
        topic = TestKafka.uniqueTopic("replicator");
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()));
        admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1).configs(Map.of("retention.ms", "-1"))))
                .all().get(30, TimeUnit.SECONDS);
        KafkaProperties kafka = new KafkaProperties(TestKafka.bootstrapServers(), topic, 3, (short) 1, 1);
        producer = new KafkaClientsConfiguration().eventProducer(kafka, settings());
    }

    @AfterEach
    void stop() {
        replicators.forEach(KafkaReplicator::stop);
        producer.close();
        admin.close();
        databases.close();
    }

    private static ReplicatorSettings settings() {
        return new ReplicatorSettings(500, DataSize.ofMegabytes(8), Duration.ofMillis(50), Duration.ofSeconds(1),
                Duration.ofSeconds(2), Duration.ofSeconds(10), 2, DataSize.ofMegabytes(1));
    }

    private KafkaReplicator startReplicator() {
        return startReplicator(settings(), null, null);
    }

    /**
     * @param connections the replicator's connections (null: a plain pool), e.g. a {@link StatementLog}
     * @param topicGuard  its topic check (null: the service's)
     */
    private KafkaReplicator startReplicator(ReplicatorSettings settings, ReplicatorConnections connections,
                                            TopicGuard topicGuard) {
        return startReplicator(settings, connections, topicGuard, Duration.ofMinutes(1));
    }

    private KafkaReplicator startReplicator(ReplicatorSettings settings, ReplicatorConnections connections,
                                            TopicGuard topicGuard, Duration topicCheckInterval) {
        JdbcTemplate jdbc = jdbc();
        KafkaProperties kafka = kafka();
        progress = new ReplicationProgress(new StoredReplicatorToken(jdbc));
        ReplicationProperties replication = new ReplicationProperties(Durability.REPLICATED, PATIENCE.multipliedBy(3),
                ReplicationProperties.LocalBacklogProperties.DEFAULTS);
        gate = new ReplicationGate(progress, replication);
        meters = new SimpleMeterRegistry();
        status = new ReplicationStatus(jdbc, progress, replication, kafka, Clock.systemUTC(), meters);
        if (connections == null) {
            connections = new ReplicatorConnections(databases.eventsJdbcUrl(), databases.appRole().user(),
                    databases.appRole().password(), settings);
        }
        if (topicGuard == null) {
            topicGuard = topicGuard();
        }
        KafkaReplicator replicator = new KafkaReplicator(producer, kafka, progress, status, connections, settings,
                Clock.systemUTC(), topicGuard, topicCheckInterval);
        replicator.start();
        replicators.add(replicator);
        return replicator;
    }

    private JdbcTemplate jdbc() {
        return new JdbcTemplate(new DriverManagerDataSource(databases.eventsJdbcUrl(), databases.appRole().user(),
                databases.appRole().password()));
    }

    private KafkaProperties kafka() {
        return new KafkaProperties(TestKafka.bootstrapServers(), topic, 3, (short) 1, 1);
    }

    private TopicGuard topicGuard() {
        return new TopicGuard(admin, kafka(), new EventPositions(jdbc()), new StoredReplicatorToken(jdbc()),
                databases.environment(), false);
    }

    private StatementLog statementLog(ReplicatorSettings settings) {
        return new StatementLog(databases.eventsJdbcUrl(), databases.appRole().user(), databases.appRole().password(),
                settings);
    }

    /** Who holds the replicator's claim now (null: nobody). */
    private String claimOwner() {
        return jdbc().queryForObject("SELECT owner FROM token_entry WHERE processor_name = ?", String.class,
                ReplicatorToken.PROCESSOR);
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(databases.eventsJdbcUrl(), databases.appRole().user(),
                databases.appRole().password());
    }

    /** Appends events as Axon's JDBC engine does (one row each), in the caller's transaction; returns their positions. */
    private static List<Long> append(Connection c, UUID board, long firstSequence, int count) throws SQLException {
        List<Long> positions = new ArrayList<>(count);
        try (PreparedStatement p = c.prepareStatement("INSERT INTO domain_event_entry (event_identifier, "
                + "aggregate_identifier, sequence_number, type, time_stamp, payload_type, payload_revision, payload, "
                + "meta_data) VALUES (?, ?, ?, 'Scoreboard', ?, ?, ?, ?, ?) RETURNING global_index")) {
            for (int i = 0; i < count; i++) {
                ScoreboardEvent event = new ParticipantAddedEvent(board, UUID.randomUUID(), "P" + (firstSequence + i));
                EventCatalogue.Entry entry = EventCatalogue.of(event);
                p.setString(1, UUID.randomUUID().toString());
                p.setString(2, board.toString());
                p.setLong(3, firstSequence + i);
                p.setString(4, Instant.now().toString());
                p.setString(5, entry.name());
                p.setString(6, Integer.toString(entry.version()));
                p.setBytes(7, EventJson.writePayload(event));
                p.setBytes(8, "{}".getBytes());
                try (var rs = p.executeQuery()) {
                    rs.next();
                    positions.add(rs.getLong(1));
                }
            }
        }
        return positions;
    }

    private void appendCommitted(UUID board, long firstSequence, int count) throws SQLException {
        try (Connection c = connect()) {
            append(c, board, firstSequence, count);
        }
    }

    /** Every record in the topic, per board, in topic order: at least {@code expected}, and any that follow within 2 s. */
    private Map<UUID, List<EventEnvelope>> topicContents(int expected) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<UUID, List<EventEnvelope>> boards = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            int seen = 0;
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            long settled = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settled)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    EventEnvelope envelope = EventJson.readEnvelope(record.value());
                    boards.computeIfAbsent(envelope.scoreboardId(), b -> new ArrayList<>()).add(envelope);
                    seen++;
                }
                if (seen >= expected && settled == Long.MAX_VALUE) {
                    settled = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                }
            }
        }
        return boards;
    }

    @Test
    void aTransactionOf10000EventsCommittingLate_isReplicatedWhole_inBoardOrder_andItsWaitEndsOnlyThen() throws Exception {
        startReplicator();
        UUID big = UUID.randomUUID();
        int bigEvents = 10_001;
        List<Long> bigPositions;
        List<UUID> others = new ArrayList<>();
        CompletableFuture<Void> bigWrite;
        try (Connection open = connect()) {
            open.setAutoCommit(false);
            bigPositions = append(open, big, 0, bigEvents);
            long bigLast = bigPositions.get(bigPositions.size() - 1);
            // The big write's answer waits for Kafka, as CommandExecution's does after its commit.
            bigWrite = CompletableFuture.runAsync(() -> gate.awaitDurable(bigLast));

            // Thousands of positions commit past the open transaction, and are replicated meanwhile.
            long lastOther = 0;
            try (Connection c = connect()) {
                c.setAutoCommit(false);
                for (int i = 0; i < 300; i++) {
                    UUID board = UUID.randomUUID();
                    others.add(board);
                    lastOther = append(c, board, 0, 10).get(9);
                    c.commit();
                }
            }
            long lastOtherPosition = lastOther;
            await().atMost(PATIENCE).until(() -> progress.isReplicated(lastOtherPosition));
            assertThat(progress.gaps()).as("the open transaction's positions are gaps, not skipped")
                    .containsAll(bigPositions);
            assertThat(bigWrite).as("the big write is not answered while its events are not in Kafka").isNotDone();

            open.commit();
        }
        bigWrite.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(progress.isReplicated(bigPositions.get(0))).isTrue();
        assertThat(progress.gaps()).isEmpty();

        Map<UUID, List<EventEnvelope>> topic = topicContents(bigEvents + 3_000);
        assertThat(topic.get(big)).extracting(EventEnvelope::sequenceNumber)
                .containsExactlyElementsOf(java.util.stream.LongStream.range(0, bigEvents).boxed().toList());
        for (UUID board : others) {
            assertThat(topic.get(board)).extracting(EventEnvelope::sequenceNumber)
                    .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        }
    }

    @Test
    void aRolledBackTransaction_leavesNoGapBehind_onceItHasEnded() throws Exception {
        startReplicator();
        List<Long> rolledBack;
        try (Connection open = connect()) {
            open.setAutoCommit(false);
            rolledBack = append(open, UUID.randomUUID(), 0, 50);
            appendCommitted(UUID.randomUUID(), 0, 5);
            await().atMost(PATIENCE).until(() -> progress.gaps().containsAll(rolledBack));
            open.rollback();
        }
        UUID after = UUID.randomUUID();
        appendCommitted(after, 0, 1);
        await().atMost(PATIENCE).until(() -> progress.gaps().isEmpty());
        assertThat(topicContents(6).get(after)).hasSize(1);
    }

    @Test
    void afterARestart_gapsStoredByTheLastReplicator_areStillWaitedFor() throws Exception {
        KafkaReplicator first = startReplicator();
        UUID late = UUID.randomUUID();
        try (Connection open = connect()) {
            open.setAutoCommit(false);
            List<Long> latePositions = append(open, late, 0, 3);
            appendCommitted(UUID.randomUUID(), 0, 2);
            await().atMost(PATIENCE).until(() -> progress.gaps().containsAll(latePositions));

            first.stop(); // as a crash would leave it, but with the claim released
            replicators.remove(first);
            startReplicator();
            await().atMost(PATIENCE).until(() -> progress.lastPosition() >= latePositions.get(2));
            assertThat(progress.gaps()).containsAll(latePositions);

            open.commit();
            await().atMost(PATIENCE).until(() -> progress.isReplicated(latePositions.get(2)));
        }
        assertThat(topicContents(5).get(late)).extracting(EventEnvelope::sequenceNumber).containsExactly(0L, 1L, 2L);
    }

    @Test
    void inProduction_aSingleReplicaTopic_getsNothing_andReplicationStopsLoudly() throws Exception {
        // The replicator's own check of the topic (on taking the claim, then every minute), not only start-up's.
        startReplicator(settings(), null, new TopicGuard(admin, kafka(), new EventPositions(jdbc()),
                new StoredReplicatorToken(jdbc()), databases.environment(), true));
        appendCommitted(UUID.randomUUID(), 0, 3);
        await().atMost(PATIENCE).until(() -> status.stoppedBecause() != null);
        assertThat(status.stoppedBecause()).contains("in production").contains("production needs at least 3")
                .contains("min.insync.replicas=2");
        assertThat(status.snapshot().state()).isEqualTo("STOPPED");
        assertThat(topicContents(0)).as("nothing was published into the unsafe topic").isEmpty();
    }

    @Test
    void aTopicOfAnotherEnvironment_getsNothing_andReplicationStopsLoudly() throws Exception {
        try (TopicEnvironmentCheck check = TopicEnvironmentCheck.open(TestKafka.bootstrapServers(), topic,
                TopicEnvironment.Settings.SERVICE)) {
            check.claim("prod");
        }
        startReplicator();
        appendCommitted(UUID.randomUUID(), 0, 3);
        await().atMost(PATIENCE).until(() -> status.stoppedBecause() != null);
        assertThat(status.stoppedBecause()).contains("prod", databases.environment());
        assertThat(status.snapshot().state()).isEqualTo("STOPPED");
        assertThat(topicContents(0)).as("nothing was published into prod's topic").isEmpty();
    }

    @Test
    void twoReplicators_onlyOnePublishes() throws Exception {
        startReplicator();
        startReplicator();
        UUID board = UUID.randomUUID();
        appendCommitted(board, 0, 20);
        Map<UUID, List<EventEnvelope>> topic = topicContents(20);
        assertThat(topic.get(board)).as("each event once: the second instance never held the claim").hasSize(20);
    }

    /** Commits {@code count} events of a new board; returns the last one's position. */
    private long commitEvents(int count) throws SQLException {
        try (Connection c = connect()) {
            List<Long> positions = append(c, UUID.randomUUID(), 0, count);
            return positions.get(positions.size() - 1);
        }
    }

    @Test
    void anIdleReplicatorWithoutGaps_onlyPeeksBetweenClaimRenewals_andNeverListsTheWriters() throws Exception {
        ReplicatorSettings settings = settings();
        StatementLog log = statementLog(settings);
        startReplicator(settings, log, null);
        long last = commitEvents(3);
        await().atMost(PATIENCE).until(() -> progress.isReplicated(last));
        // Writes are released on Kafka's acknowledgement; the cycle stores its coverage just after (ADR 0027).
        // The idle part starts once that is committed.
        await().atMost(PATIENCE).until(() -> coverageCommittedAt(log.statements()) >= 0);
        int idleFrom = coverageCommittedAt(log.statements()) + 1;
        // one copy of the log per look: it grows while it is read
        await().atMost(PATIENCE).until(() -> {
            List<String> all = log.statements();
            return count(all.subList(idleFrom, all.size()), "UPDATE token_entry SET timestamp") >= 2;
        });
        List<String> all = log.statements();
        List<String> idle = all.subList(idleFrom, all.size());

        assertThat(idle).as("no gaps open: the event table's writers are never listed")
                .noneMatch(sql -> sql.contains("pg_locks"));
        assertThat(idle).as("nothing new: the coverage is not stored again")
                .noneMatch(sql -> sql.startsWith("UPDATE token_entry SET token"));
        long peeks = count(idle, EventTable.ANY_ABOVE);
        long reads = count(idle, "SELECT global_index, event_identifier");
        long renewals = count(idle, "UPDATE token_entry SET timestamp");
        assertThat(peeks).as("idle polls are single statements").isPositive();
        assertThat(reads).as("the event table is read only by the cycles that renew the claim")
                .isLessThanOrEqualTo(renewals + 1);

        // A write while it peeks is still replicated.
        long next = commitEvents(1);
        await().atMost(PATIENCE).until(() -> progress.isReplicated(next));
    }

    /** The index of the COMMIT after the last coverage store, or -1 while there is none. */
    private static int coverageCommittedAt(List<String> statements) {
        List<String> all = List.copyOf(statements);
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).startsWith("UPDATE token_entry SET token")) {
                int commit = all.subList(i, all.size()).indexOf("COMMIT");
                return commit < 0 ? -1 : i + commit;
            }
        }
        return -1;
    }

    private static long count(List<String> statements, String prefix) {
        return statements.stream().filter(sql -> sql.startsWith(prefix)).count();
    }

    /**
     * The idle replicator's peek runs 20 times a second as a server-side prepared statement, so PostgreSQL may
     * plan it once for any position (a generic plan). Measured with {@code EXISTS (… WHERE global_index > ?)}:
     * that plan was a sequential scan, 18.6 ms and 5,785 buffers per peek on a 45 MB table, growing with it.
     */
    @Test
    void theIdlePeek_isAnIndexProbe_evenWhenPlannedForAnyPosition() throws Exception {
        appendCommitted(UUID.randomUUID(), 0, 5_000);
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("ANALYZE domain_event_entry");
            s.execute("SET plan_cache_mode = force_generic_plan");
            s.execute("PREPARE peek(bigint) AS " + EventTable.ANY_ABOVE.replace("?", "$1"));
            StringBuilder plan = new StringBuilder();
            try (ResultSet rs = s.executeQuery("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE peek(1000000)")) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            assertThat(plan.toString()).as(plan.toString()).doesNotContain("Seq Scan").contains("Index");
        }
    }

    /**
     * The replicator's reads are planned for their positions each time: a plan cached for any position was made
     * while the table was small and stayed a sequential scan as it grew (without ANALYZE nothing replans it).
     */
    @Test
    void theReplicatorsConnections_planEveryReadForItsPositions() throws Exception {
        ReplicatorConnections connections = new ReplicatorConnections(databases.eventsJdbcUrl(),
                databases.appRole().user(), databases.appRole().password(), settings());
        try (Connection c = connections.get(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW plan_cache_mode")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("force_custom_plan");
        } finally {
            connections.destroy();
        }
    }

    @Test
    void theTopicIsChecked_outsideAnyTransactionOfTheReplicator() throws Exception {
        List<Long> openTransactions = new java.util.concurrent.CopyOnWriteArrayList<>();
        JdbcTemplate observer = jdbc();
        TopicGuard observed = new TopicGuard(admin, kafka(), new EventPositions(jdbc()), new StoredReplicatorToken(jdbc()),
                databases.environment(), false) {
            @Override
            public TopicEnvironment.Verdict requireUsableTopic() {
                // While Kafka is asked, no session on the event store is inside a transaction but this one.
                openTransactions.add(observer.queryForObject("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                        + "current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL", Long.class));
                return super.requireUsableTopic();
            }
        };
        startReplicator(settings(), null, observed);
        await().atMost(PATIENCE).until(() -> !openTransactions.isEmpty());
        long last = commitEvents(2);
        await().atMost(PATIENCE).until(() -> progress.isReplicated(last));

        assertThat(openTransactions).as("checked on taking the claim, with no transaction open").isNotEmpty()
                .containsOnly(0L);
    }

    @Test
    void aRecheckOfTheTopic_holdsBackNoWrite_untilItIsAnIntervalOverdue() throws Exception {
        // Kafka answers the topic's check slowly: every check after the first waits until released.
        AtomicInteger checks = new AtomicInteger();
        CountDownLatch answer = new CountDownLatch(1);
        Duration interval = Duration.ofSeconds(4);
        TopicGuard slow = new TopicGuard(admin, kafka(), new EventPositions(jdbc()), new StoredReplicatorToken(jdbc()),
                databases.environment(), false) {
            @Override
            public TopicEnvironment.Verdict requireUsableTopic() {
                if (checks.incrementAndGet() > 1) {
                    try {
                        answer.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return super.requireUsableTopic();
            }
        };
        startReplicator(settings(), null, slow, interval);
        long first = commitEvents(2);
        await().atMost(PATIENCE).until(() -> progress.isReplicated(first));
        long checkedOnClaim = System.nanoTime();
        await().atMost(PATIENCE).until(() -> checks.get() >= 2);

        long duringRecheck = commitEvents(2);
        await().atMost(PATIENCE).until(() -> progress.isReplicated(duringRecheck));
        assertThat(answer.getCount()).as("replicated while the recheck waits for Kafka").isEqualTo(1);

        // An interval after it was due, the replicator waits for it: nothing is published meanwhile.
        long overdue = checkedOnClaim + interval.multipliedBy(2).plusSeconds(1).toNanos();
        Thread.sleep(Math.max(0, (overdue - System.nanoTime()) / 1_000_000));
        long whileOverdue = commitEvents(1);
        Thread.sleep(1_000);
        assertThat(progress.isReplicated(whileOverdue)).as("held while the overdue recheck is unanswered").isFalse();
        answer.countDown();
        await().atMost(PATIENCE).until(() -> progress.isReplicated(whileOverdue));
        assertThat(topicContents(5)).hasSize(3);
    }

    @Test
    void aRecheckThatRefusesTheTopic_stopsReplicationLoudly() throws Exception {
        AtomicInteger checks = new AtomicInteger();
        TopicGuard refusing = new TopicGuard(admin, kafka(), new EventPositions(jdbc()),
                new StoredReplicatorToken(jdbc()), databases.environment(), false) {
            @Override
            public TopicEnvironment.Verdict requireUsableTopic() {
                if (checks.incrementAndGet() > 1) {
                    throw new TopicRefusedException("the topic now belongs to environment 'prod'.",
                            "scoreboard.kafka.topic", "point scoreboard.kafka.topic at this environment's topic.");
                }
                return super.requireUsableTopic();
            }
        };
        startReplicator(settings(), null, refusing, Duration.ofSeconds(1));
        long first = commitEvents(2);
        await().atMost(PATIENCE).until(() -> progress.isReplicated(first));
        await().atMost(PATIENCE).until(() -> status.stoppedBecause() != null);
        assertThat(status.stoppedBecause()).contains("belongs to environment 'prod'");
        assertThat(status.snapshot().state()).isEqualTo("STOPPED");
        long after = commitEvents(1);
        Thread.sleep(1_000);
        assertThat(progress.isReplicated(after)).as("nothing published after the refusal").isFalse();
    }

    @Test
    void aStoppedReplicator_releasesItsClaim_andAnotherTakesOverWithoutWaitingForTheClaimTimeout() throws Exception {
        KafkaReplicator first = startReplicator();
        long before = commitEvents(2);
        await().atMost(PATIENCE).until(() -> progress.isReplicated(before));
        String firstOwner = claimOwner();
        assertThat(firstOwner).as("the first replicator holds the claim").isNotNull();

        // The second one would wait an hour for a claim that is not released.
        ReplicatorSettings patient = new ReplicatorSettings(500, DataSize.ofMegabytes(8), Duration.ofMillis(50),
                Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofHours(1), 2, DataSize.ofMegabytes(1));
        startReplicator(patient, null, null);
        first.stop();
        replicators.remove(first);
        assertThat(claimOwner()).as("released by the time stop() returns").isNotEqualTo(firstOwner);

        assertTheSecondReplicatorPublishes();
    }

    @Test
    void aReplicatorWhoseSessionsEnd_isReplacedAtTheNextClaimCheck_notAfterTheClaimTimeout() throws Exception {
        // Both would wait an hour for a claim that is not renewed: only the presence can end the wait early.
        ReplicatorSettings patient = new ReplicatorSettings(500, DataSize.ofMegabytes(8), Duration.ofMillis(50),
                Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofHours(1), 2, DataSize.ofMegabytes(1));
        KillableConnections firstConnections = new KillableConnections(databases.eventsJdbcUrl(),
                databases.appRole().user(), databases.appRole().password(), patient);
        startReplicator(patient, firstConnections, null);
        long before = commitEvents(2);
        await().atMost(PATIENCE).until(() -> progress.isReplicated(before));
        String firstOwner = claimOwner();
        assertThat(firstOwner).startsWith(ReplicatorPresence.OWNER_MARK);
        startReplicator(patient, null, null);
        await().atMost(PATIENCE).until(() -> presences() == 2);

        firstConnections.kill(); // what PostgreSQL sees of a SIGKILL: every session of the process ends
        long killed = System.nanoTime();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> !firstOwner.equals(claimOwner()));
        long tookOverMillis = (System.nanoTime() - killed) / 1_000_000;
        assertThat(tookOverMillis).as("taken at the next claim check (1 s), not after the hour's timeout")
                .isLessThan(5_000);
        assertThat(claimOwner()).startsWith(ReplicatorPresence.OWNER_MARK);
        // what operators see of it: the second instance took the claim and holds it
        await().atMost(Duration.ofSeconds(5))
                .until(() -> meters.get("scoreboard.replication.claim.held").gauge().value() == 1);
        assertThat(meters.get("scoreboard.replication.claim.taken").counter().count()).isEqualTo(1);

        assertTheSecondReplicatorPublishes();
    }

    @Test
    void aClaimHeldByTheRepublishPause_isNotTakenEarly_forItKeepsNoPresence() throws Exception {
        // The operator CLI's republish holds the row under a name of its own and renews it; no replicator may take it.
        try (Connection c = connect(); PreparedStatement p = c.prepareStatement("INSERT INTO token_entry "
                + "(processor_name, segment, token, token_type, timestamp, owner) VALUES (?, 0, NULL, NULL, ?, ?)")) {
            p.setString(1, ReplicatorToken.PROCESSOR);
            p.setString(2, Instant.now().toString());
            p.setString(3, "scoreboard-cli republish 4242@operator-host");
            p.executeUpdate();
        }
        startReplicator();
        await().atMost(PATIENCE).until(() -> presences() == 1);
        Thread.sleep(settings().claimInterval().multipliedBy(3).toMillis()); // three claim checks
        assertThat(claimOwner()).isEqualTo("scoreboard-cli republish 4242@operator-host");
    }

    /** A new event after a hand-over reaches the topic, sent by the replicator started last. */
    private void assertTheSecondReplicatorPublishes() throws Exception {
        UUID board = UUID.randomUUID();
        long after;
        try (Connection c = connect()) {
            after = append(c, board, 0, 1).get(0);
        }
        await().atMost(PATIENCE).until(() -> progress.isReplicated(after));
        assertThat(topicContents(3).get(board)).as("published by the second replicator").hasSize(1);
    }

    /** Replicator presences held now (sessions holding a presence lock). */
    private int presences() {
        return jdbc().queryForObject("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = "
                + "(SELECT oid FROM pg_database WHERE datname = current_database()) AND classid = ?::int4::oid "
                + "AND granted", Integer.class, ReplicatorPresence.LOCK_CLASS);
    }

    @Test
    void aClaimLeftByAKilledInstance_isTakenOnceItIsOlderThanTheClaimTimeout() throws Exception {
        // What a SIGKILL leaves: an owner that never renews its claim again (its transaction died with it).
        try (Connection c = connect(); PreparedStatement p = c.prepareStatement("INSERT INTO token_entry "
                + "(processor_name, segment, token, token_type, timestamp, owner) VALUES (?, 0, NULL, NULL, ?, ?)")) {
            p.setString(1, ReplicatorToken.PROCESSOR);
            p.setString(2, Instant.now().minus(settings().claimTimeout()).minusSeconds(1).toString());
            p.setString(3, "4242@killed-host#00000000");
            p.executeUpdate();
        }
        startReplicator();
        long last = commitEvents(2);
        await().atMost(PATIENCE).until(() -> progress.isReplicated(last));
        assertThat(claimOwner()).isNotEqualTo("4242@killed-host#00000000");
    }
}
