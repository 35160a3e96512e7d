package io.scoreboard.operator.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.EventJson;
import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.operator.Cli;
import io.scoreboard.operator.Installation;
import io.scoreboard.projections.BoardEvents;
import io.scoreboard.testsupport.TestDatabases;
import io.scoreboard.testsupport.TestKafka;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * How fast verify checks a full installation (store, topic, read model). Not part of the suite (the
 * name is outside surefire's patterns); run it with
 * {@code ./mvnw -pl projections/operator-cli -am verify -Dtest=VerifyRateMeasurement -Dboards=2000 -DperBoard=100
 * -Dsurefire.failIfNoSpecifiedTests=false}. Measured 2026-11-24 on the 2-core machine: 200,000 events of
 * 2,000 boards in 4.6 s (43k events/s; store read 96k/s, topic read with recomputation 135k/s).
 */
class VerifyRateMeasurement {

    @Test
    void measure() throws Exception {
        int boards = Integer.getInteger("boards", 2000);
        int perBoard = Integer.getInteger("perBoard", 100);
        try (Installation installation = Installation.create(TestDatabases.ENVIRONMENT);
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                     TestKafka.bootstrapServers(), "linger.ms", 20, "batch.size", 1 << 20), new StringSerializer(),
                     new ByteArraySerializer());
             Connection c = DriverManager.getConnection(installation.databases.eventsJdbcUrl(),
                     installation.databases.appRole().user(), installation.databases.appRole().password())) {
            c.setAutoCommit(false);
            long position = 0;
            PreparedStatement p = c.prepareStatement("INSERT INTO domain_event_entry (global_index, event_identifier, "
                    + "aggregate_identifier, sequence_number, type, time_stamp, payload_type, payload_revision, payload) "
                    + "VALUES (?, ?, ?, ?, 'Scoreboard', ?, ?, '1', ?)");
            for (int b = 0; b < boards; b++) {
                BoardEvents board = new BoardEvents();
                for (int i = 0; i < perBoard; i++) {
                    EventEnvelope e = i == 0 ? board.created("b" + b, ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD)
                            : i == 1 ? board.added("Ann") : board.scoreSet("Ann", Integer.toString(i));
                    e = new EventEnvelope(e.eventId(), e.scoreboardId(), e.sequenceNumber(), ++position, e.occurredAt(),
                            e.type(), e.typeVersion(), e.payload());
                    p.setLong(1, position);
                    p.setString(2, e.eventId().toString());
                    p.setString(3, e.scoreboardId().toString());
                    p.setLong(4, e.sequenceNumber());
                    p.setString(5, e.occurredAt().toString());
                    p.setString(6, e.type());
                    p.setBytes(7, EventJson.writePayload(e.payload()));
                    p.addBatch();
                    producer.send(new ProducerRecord<>(installation.topic, e.scoreboardId().toString(),
                            EventJson.writeEnvelope(e)));
                }
                p.executeBatch();
            }
            c.commit();
            producer.flush();
            installation.project();

            long start = System.nanoTime();
            Cli.Result result = Cli.run(installation.command("verify"));
            double seconds = (System.nanoTime() - start) / 1e9;
            System.err.printf("VERIFY RATE: %d events (%d boards) in %.1f s = %.0f events/s%n", position, boards,
                    seconds, position / seconds);
            assertThat(result.exitCode()).as(result.toString()).isZero();
        }
    }
}
