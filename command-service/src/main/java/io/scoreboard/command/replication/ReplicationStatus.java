package io.scoreboard.command.replication;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * How far Kafka is behind the event store: what {@code GET /api/v1/ops/replication} shows and the
 * replication metrics report. Lag counts every stored event the replicator's committed position
 * does not cover yet, late-committing ones (gaps) included.
 */
@Component
public class ReplicationStatus {

    private final JdbcTemplate jdbc;
    private final ReplicationProgress progress;
    private final ReplicationProperties replication;
    private final KafkaProperties kafka;
    private final Clock clock;
    private final Counter kafkaErrors;

    public ReplicationStatus(JdbcTemplate jdbc, ReplicationProgress progress, ReplicationProperties replication,
                             KafkaProperties kafka, Clock clock, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.progress = progress;
        this.replication = replication;
        this.kafka = kafka;
        this.clock = clock;
        this.kafkaErrors = Counter.builder("scoreboard.replication.kafka.errors")
                .description("Batches Kafka did not acknowledge (they are sent again)").register(registry);
        Gauge.builder("scoreboard.replication.lag.events", this, s -> s.snapshot().lagEvents())
                .description("Stored events not yet acknowledged by Kafka").register(registry);
        Gauge.builder("scoreboard.replication.lag.ms", this, s -> s.snapshot().lagMillis())
                .description("Age of the oldest stored event not yet acknowledged by Kafka").register(registry);
    }

    /** One reading, as JSON for operators. */
    public record Snapshot(String durability, String topic, long storePosition, long replicatedPosition,
                           long lagEvents, long lagMillis, double kafkaErrors) {}

    void recordKafkaError() {
        kafkaErrors.increment();
    }

    public Snapshot snapshot() {
        progress.refreshFromStore();
        long replicated = progress.lastPosition();
        List<Long> gaps = progress.gaps();
        Long head = jdbc.queryForObject("SELECT coalesce(max(global_index), 0) FROM domain_event_entry", Long.class);
        String notCovered = "global_index > ? OR global_index = ANY (?)";
        Object[] args = {replicated, gaps.toArray(Long[]::new)};
        Long lag = jdbc.query(con -> {
            var statement = con.prepareStatement("SELECT count(*) FROM domain_event_entry WHERE " + notCovered);
            statement.setLong(1, (Long) args[0]);
            statement.setArray(2, con.createArrayOf("bigint", (Long[]) args[1]));
            return statement;
        }, rs -> rs.next() ? rs.getLong(1) : 0L);
        List<String> oldest = jdbc.query(con -> {
            var statement = con.prepareStatement("SELECT time_stamp FROM domain_event_entry WHERE " + notCovered
                    + " ORDER BY global_index LIMIT 1");
            statement.setLong(1, (Long) args[0]);
            statement.setArray(2, con.createArrayOf("bigint", (Long[]) args[1]));
            return statement;
        }, (rs, i) -> rs.getString(1));
        long lagMillis = oldest.isEmpty() ? 0
                : Math.max(0, Duration.between(Instant.parse(oldest.get(0)), clock.instant()).toMillis());
        return new Snapshot(replication.durability().name(), kafka.topic(), head == null ? 0 : head,
                Math.max(replicated, 0), lag == null ? 0 : lag, lagMillis, kafkaErrors.count());
    }
}
