package io.scoreboard.bench;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.EventJson;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Map;
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

    private EventSeeding() {}

    static void intoEventStore(Connection c, SyntheticHistory history) throws SQLException {
        c.setAutoCommit(false);
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY domain_event_entry (global_index, "
                + "event_identifier, aggregate_identifier, sequence_number, type, time_stamp, payload_type, "
                + "payload_revision, payload, meta_data) FROM STDIN (FORMAT csv)");
        StringBuilder buffer = new StringBuilder(1 << 21);
        byte[] metadata = "{}".getBytes(StandardCharsets.UTF_8);
        history.forEach(e -> {
            buffer.append(e.position()).append(',').append(e.eventId()).append(',').append(e.scoreboardId()).append(',')
                    .append(e.sequenceNumber()).append(",Scoreboard,").append(e.occurredAt()).append(',')
                    .append(e.type()).append(',').append(e.typeVersion()).append(",\\x")
                    .append(HEX.formatHex(EventJson.writePayload(e.payload()))).append(",\\x")
                    .append(HEX.formatHex(metadata)).append('\n');
            if (buffer.length() > (1 << 20)) {
                write(copy, buffer);
            }
        });
        write(copy, buffer);
        copy.endCopy();
        try (var s = c.createStatement()) {
            s.execute("SELECT setval('domain_event_entry_global_index_seq', " + history.events() + ")");
        }
        c.commit();
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
