package io.scoreboard.command.replication;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.scoreboard.startup.EventStoreTables;
import io.scoreboard.startup.ReplicationLagQueries;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

/**
 * How far Kafka is behind the event store: what {@code GET /api/v1/ops/replication} shows and the
 * replication metrics report. Lag counts every stored event the replicator's committed position
 * does not cover yet, late-committing ones (gaps) included.
 */
@Component
public class ReplicationStatus {

    /** Gauges are read one by one per scrape: one reading serves them all for this long. */
    private static final Duration GAUGE_READING_TTL = Duration.ofSeconds(1);

    private final JdbcTemplate jdbc;
    private final ReplicationProgress progress;
    private final ReplicationProperties replication;
    private final KafkaProperties kafka;
    private final Clock clock;
    private final Counter kafkaErrors;
    private volatile Snapshot lastReading;
    /** The last fault being waited out, null once a cycle succeeded. */
    private volatile String fault;
    /** Why replication stopped (an event that can never be published), null while it runs. */
    private volatile String stopped;
    private volatile Instant lastReadingAt = Instant.EPOCH;

    private final Counter claimsTaken;
    private volatile boolean holdsClaim;

    public ReplicationStatus(JdbcTemplate jdbc, ReplicationProgress progress, ReplicationProperties replication,
                             KafkaProperties kafka, Clock clock, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.progress = progress;
        this.replication = replication;
        this.kafka = kafka;
        this.clock = clock;
        this.kafkaErrors = Counter.builder("scoreboard.replication.kafka.errors")
                .description("Batches Kafka did not acknowledge (they are sent again)").register(registry);
        Gauge.builder("scoreboard.replication.position", this, s -> s.recentSnapshot().replicatedPosition())
                .description("Highest event-store position acknowledged by Kafka").register(registry);
        Gauge.builder("scoreboard.replication.lag.events", this, s -> s.recentSnapshot().lagEvents())
                .description("Stored events not yet acknowledged by Kafka").register(registry);
        Gauge.builder("scoreboard.replication.lag.ms", this, s -> s.recentSnapshot().lagMillis())
                .description("Age of the oldest stored event not yet acknowledged by Kafka").register(registry);
        // For operators with several instances: which one replicates, how often the claim moved, and whether a
        // replicator is stopped or waiting (the dashboard's takeover panel and the alerts read these).
        this.claimsTaken = Counter.builder("scoreboard.replication.claim.taken")
                .description("Times this instance took the replicator's claim (at start, from a stopped or dead instance, "
                        + "or again after a fault)")
                .register(registry);
        Gauge.builder("scoreboard.replication.claim.held", this, s -> s.holdsClaim ? 1 : 0)
                .description("1 while this instance holds the replicator's claim (publishes), else 0").register(registry);
        Gauge.builder("scoreboard.replication.stopped", this, s -> s.stopped != null ? 1 : 0)
                .description("1 while this instance's replicator is stopped by an event it cannot publish")
                .register(registry);
        Gauge.builder("scoreboard.replication.waiting", this, s -> s.stopped == null && s.fault != null ? 1 : 0)
                .description("1 while this instance's replicator waits out a fault (PostgreSQL or Kafka)")
                .register(registry);
    }

    /** The replicator holds the claim in this cycle; counted as taken when it did not hold it before. */
    void recordClaimHeld() {
        if (!holdsClaim) {
            holdsClaim = true;
            claimsTaken.increment();
        }
    }

    /** The replicator no longer holds the claim (another instance does, or it is not known to be ours). */
    void recordClaimGone() {
        holdsClaim = false;
    }

    /**
     * One reading, as JSON for operators. {@code state}: {@code RUNNING}, {@code WAITING} (a fault is being
     * waited out, {@code problem} says which) or {@code STOPPED} (an event that cannot be published).
     */
    public record Snapshot(String durability, String topic, long storePosition, long replicatedPosition,
                           long lagEvents, long lagMillis, double kafkaErrors, String state, String problem) {}

    void recordKafkaError() {
        kafkaErrors.increment();
    }

    void recordHealthy() {
        fault = null;
        stopped = null;
    }

    void recordFault(String problem) {
        fault = problem;
    }

    void recordStopped(String problem) {
        stopped = problem;
    }

    /** Null while replication runs or waits out a fault; the reason when it stopped. */
    public String stoppedBecause() {
        return stopped;
    }

    /** A fresh reading: the event store's head, the committed replicator position, and what lies between. */
    public Snapshot snapshot() {
        progress.refreshFromStore();
        long replicated = Math.max(progress.lastPosition(), 0);
        Long[] gaps = progress.gaps().toArray(Long[]::new);
        Long head = jdbc.queryForObject("SELECT coalesce(max(global_index), 0) FROM "
                + EventStoreTables.EVENTS, Long.class);
        long lag = notCovered(ReplicationLagQueries.COUNT_NOT_COVERED, replicated, gaps,
                (rs, i) -> rs.getLong(1)).orElse(0L);
        long lagMillis = notCovered(ReplicationLagQueries.OLDEST_NOT_COVERED, replicated, gaps,
                (rs, i) -> Duration.between(Instant.parse(rs.getString(1)), clock.instant()).toMillis())
                .map(ms -> Math.max(0, ms)).orElse(0L);
        String stoppedNow = stopped;
        String faultNow = fault;
        Snapshot reading = new Snapshot(replication.durability().name(), kafka.topic(), head == null ? 0 : head,
                replicated, lag, lagMillis, kafkaErrors.count(),
                stoppedNow != null ? "STOPPED" : faultNow != null ? "WAITING" : "RUNNING",
                stoppedNow != null ? stoppedNow : faultNow);
        lastReading = reading;
        lastReadingAt = clock.instant();
        return reading;
    }

    private Snapshot recentSnapshot() {
        Snapshot reading = lastReading;
        if (reading == null || lastReadingAt.plus(GAUGE_READING_TTL).isBefore(clock.instant())) {
            return snapshot();
        }
        return reading;
    }

    private Optional<Long> notCovered(String sql, long replicated, Long[] gaps,
                                      RowMapper<Long> value) {
        List<Long> rows = jdbc.query(con -> {
            var statement = con.prepareStatement(sql);
            statement.setLong(1, replicated);
            statement.setArray(2, con.createArrayOf("bigint", gaps));
            return statement;
        }, value);
        return rows.stream().findFirst();
    }
}
