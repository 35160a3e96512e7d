package io.scoreboard.bench;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.EventJson;
import io.scoreboard.events.ScoreChangedEvent;
import io.scoreboard.startup.EventStoreTables;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Fills an event store and a topic with a history, fast (COPY, batched producer), row for row and
 * record for record as the command service's Axon engine and replicator write them. Seeding is
 * set-up, not a measurement.
 */
final class EventSeeding {

    private static final HexFormat HEX = HexFormat.of();
    private static final String COPY = "COPY " + EventStoreTables.EVENTS
            + " (global_index, event_identifier, aggregate_identifier, "
            + "sequence_number, type, time_stamp, payload_type, payload_revision, payload, meta_data) FROM STDIN (FORMAT csv)";
    private static final String EMPTY_METADATA = HEX.formatHex("{}".getBytes(StandardCharsets.UTF_8));

    private EventSeeding() {}

    static void intoEventStore(Connection c, SyntheticHistory history) throws SQLException {
        c.setAutoCommit(false);
        RowCopy rows = new RowCopy(c);
        history.forEach(rows::add);
        rows.finish(history.events());
    }

    /**
     * Gives boards made through the API a long history: {@code perBoard} score changes each, appended behind what
     * the store holds (positions after its last one, each board's sequence after its last event), written
     * round-robin like real traffic, with the scores the command side would compute. The boards must be unscored
     * (just created) and the command service stopped: it would not know of rows written behind its back. The
     * events are not on the topic; the replicator sends them when the service starts again.
     */
    static long appendScoreChanges(Connection c, List<CommandApi.Board> boards, int perBoard) throws SQLException {
        c.setAutoCommit(false);
        UUID[] ids = new UUID[boards.size()];
        long[] sequence = new long[boards.size()];
        BigDecimal[][] scores = new BigDecimal[boards.size()][];
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            ids[i] = UUID.fromString(boards.get(i).scoreChangesPrefix().split("/")[4]);
            index.put(ids[i].toString(), i);
            scores[i] = new BigDecimal[boards.get(i).participantIds().length];
            Arrays.fill(scores[i], BigDecimal.ZERO);
        }
        long position;
        try (var s = c.createStatement()) {
            // positions are handed out here: no other writer may take one until the commit
            s.execute("LOCK TABLE " + EventStoreTables.EVENTS + " IN EXCLUSIVE MODE");
            try (ResultSet rs = s.executeQuery("SELECT coalesce(max(global_index), 0) FROM "
                    + EventStoreTables.EVENTS)) {
                rs.next();
                position = rs.getLong(1);
            }
        }
        try (PreparedStatement last = c.prepareStatement("SELECT b.id, (SELECT max(e.sequence_number) FROM "
                + EventStoreTables.EVENTS
                + " e WHERE e.aggregate_identifier = b.id) FROM unnest(?::varchar[]) AS b(id)")) {
            last.setArray(1, c.createArrayOf("varchar", index.keySet().toArray()));
            try (ResultSet rs = last.executeQuery()) {
                while (rs.next()) {
                    sequence[index.get(rs.getString(1))] = rs.getLong(2);
                }
            }
        }
        RowCopy rows = new RowCopy(c);
        Random random = new Random(1_000L);
        // A day old: no lag window of this run may count these events (their occurred-at is what it selects by).
        Instant at = Instant.now().minus(Duration.ofDays(1)).minusSeconds(perBoard);
        long first = position + 1;
        for (int round = 0; round < perBoard; round++) {
            for (int i = 0; i < ids.length; i++) {
                String[] participants = boards.get(i).participantIds();
                int p = random.nextInt(participants.length);
                BigDecimal delta = BigDecimal.valueOf(1 + random.nextInt(10));
                scores[i][p] = scores[i][p].add(delta);
                EventEnvelope e = EventEnvelope.of(new UUID(random.nextLong(), random.nextLong()), ++sequence[i],
                        ++position, at.plusMillis(round * 1000L + i % 1000), new ScoreChangedEvent(ids[i],
                                UUID.fromString(participants[p]), delta, scores[i][p], "seeded"));
                rows.add(e);
            }
        }
        rows.finish(position);
        return position - first + 1;
    }

    static void intoTopic(String bootstrap, String topic, SyntheticHistory history) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
            Exception[] failure = {null};
            history.forEach(e -> producer.send(new ProducerRecord<>(topic, e.scoreboardId().toString(),
                    EventJson.writeEnvelope(e)), (metadata, error) -> {
                        if (error != null) {
                            failure[0] = error;
                        }
                    }));
            producer.flush();
            if (failure[0] != null) {
                throw failure[0];
            }
        }
    }

    /** One event as a CSV row of {@link #COPY}, as Axon's JDBC engine stores it (empty metadata). */
    /** One COPY of event rows, sent in pieces of about 1 MiB; {@link #finish} moves the position sequence and commits. */
    private static final class RowCopy {

        private final Connection connection;
        private final CopyIn copy;
        private final StringBuilder buffer = new StringBuilder(1 << 21);

        RowCopy(Connection connection) throws SQLException {
            this.connection = connection;
            this.copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY);
        }

        void add(EventEnvelope e) {
            appendRow(buffer, e);
            if (buffer.length() > (1 << 20)) {
                write(copy, buffer);
            }
        }

        /** Ends the COPY; {@code lastPosition} is the highest global_index written, where the sequence goes on from. */
        void finish(long lastPosition) throws SQLException {
            write(copy, buffer);
            copy.endCopy();
            try (var s = connection.createStatement()) {
                s.execute("SELECT setval(pg_get_serial_sequence('" + EventStoreTables.EVENTS + "', 'global_index'), "
                        + lastPosition + ")");
            }
            connection.commit();
        }
    }

    private static void appendRow(StringBuilder buffer, EventEnvelope e) {
        buffer.append(e.position()).append(',').append(e.eventId()).append(',').append(e.scoreboardId()).append(',')
                .append(e.sequenceNumber()).append(",Scoreboard,").append(e.occurredAt()).append(',')
                .append(e.type()).append(',').append(e.typeVersion()).append(",\\x")
                .append(HEX.formatHex(EventJson.writePayload(e.payload()))).append(",\\x").append(EMPTY_METADATA)
                .append('\n');
    }

    private static void write(CopyIn copy, StringBuilder buffer) {
        byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
        try {
            copy.writeToCopy(bytes, 0, bytes.length);
        } catch (SQLException e) {
            throw new IllegalStateException("COPY into the event store failed: " + e.getMessage(), e);
        }
        buffer.setLength(0);
    }
}
