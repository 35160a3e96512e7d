package io.scoreboard.bench;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The same-run reference of the command benchmark: what PostgreSQL itself does with single-row
 * INSERT transactions into a table shaped like Axon's domain_event_entry (global index, unique
 * event id, unique (aggregate, sequence), ~300-byte payload), one JDBC connection per client, no
 * pool, nothing else in the transaction. A command can at best approach this: it also loads the
 * board, takes a lock, serves HTTP and (replicated) waits for Kafka.
 */
final class InsertReference {

    static final String TABLE = "bench_insert_reference";
    private static final byte[] PAYLOAD = payload(300);
    private static final byte[] METADATA = "{}".getBytes(StandardCharsets.UTF_8);

    private InsertReference() {}

    static ClosedLoop.Result run(String jdbcUrl, String user, String password, int clients, int boards,
                                     Duration warmUp, Duration window) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password); Statement s = c.createStatement()) {
            requireConnectionSlots(s, clients);
            s.execute("DROP TABLE IF EXISTS " + TABLE);
            s.execute("CREATE TABLE " + TABLE + " ("
                    + "global_index BIGSERIAL PRIMARY KEY, "
                    + "event_identifier VARCHAR(255) NOT NULL UNIQUE, "
                    + "aggregate_identifier VARCHAR(255) NOT NULL, "
                    + "sequence_number BIGINT NOT NULL, "
                    + "type VARCHAR(255), "
                    + "time_stamp VARCHAR(255) NOT NULL, "
                    + "payload_type VARCHAR(255) NOT NULL, "
                    + "payload_revision VARCHAR(255), "
                    + "payload BYTEA NOT NULL, "
                    + "meta_data BYTEA, "
                    + "UNIQUE (aggregate_identifier, sequence_number))");
        }
        int boardsPerClient = Math.max(1, boards / clients);
        try {
            return ClosedLoop.run("insert-reference", clients, warmUp, window, index -> new Inserter(
                    DriverManager.getConnection(jdbcUrl, user, password), boardsPerClient), null);
        } finally {
            try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
                 Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + TABLE);
            }
        }
    }

    /**
     * A shared server may not have 64 connections to spare; wait a minute for them (other clients come and go),
     * then say so rather than fail half-way.
     */
    private static void requireConnectionSlots(Statement s, int clients) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            int free;
            try (var rs = s.executeQuery("SELECT current_setting('max_connections')::int - current_setting("
                    + "'superuser_reserved_connections')::int - (SELECT count(*) FROM pg_stat_activity)")) {
                rs.next();
                free = rs.getInt(1);
            }
            if (free >= clients + 1) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("PostgreSQL has " + free + " free connection slots; the reference "
                        + "needs " + clients + " (and the command service up to 20 after it). Fix: stop other clients "
                        + "of that server, or raise its max_connections.");
            }
            Thread.sleep(1_000);
        }
    }

    /** One client: its own boards (so unique keys never collide between clients), one row per transaction. */
    private static final class Inserter implements ClosedLoop.Client {
        private final Connection connection;
        private final PreparedStatement insert;
        private final String[] boards;
        private final long[] sequences;

        Inserter(Connection connection, int boardCount) throws Exception {
            this.connection = connection;
            connection.setAutoCommit(true); // each INSERT is its own transaction, committed (fsync) before the next
            this.insert = connection.prepareStatement("INSERT INTO " + TABLE + " (event_identifier, "
                    + "aggregate_identifier, sequence_number, type, time_stamp, payload_type, payload_revision, "
                    + "payload, meta_data) VALUES (?, ?, ?, 'Scoreboard', ?, 'ScoreChanged', '1', ?, ?)");
            this.boards = new String[boardCount];
            this.sequences = new long[boardCount];
            for (int i = 0; i < boardCount; i++) {
                boards[i] = UUID.randomUUID().toString();
            }
        }

        @Override
        public boolean call() throws Exception {
            int board = ThreadLocalRandom.current().nextInt(boards.length);
            insert.setString(1, UUID.randomUUID().toString());
            insert.setString(2, boards[board]);
            insert.setLong(3, sequences[board]++);
            insert.setString(4, Instant.now().toString());
            insert.setBytes(5, PAYLOAD);
            insert.setBytes(6, METADATA);
            return insert.executeUpdate() == 1;
        }

        @Override
        public void close() throws Exception {
            connection.close();
        }
    }

    /** A JSON-looking payload of about {@code size} bytes, like a ScoreChanged event with a reason. */
    private static byte[] payload(int size) {
        StringBuilder json = new StringBuilder("{\"scoreboardId\":\"" + UUID.randomUUID() + "\",\"participantId\":\""
                + UUID.randomUUID() + "\",\"delta\":5,\"score\":125,\"reason\":\"");
        while (json.length() < size - 2) {
            json.append('x');
        }
        return json.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
    }
}
