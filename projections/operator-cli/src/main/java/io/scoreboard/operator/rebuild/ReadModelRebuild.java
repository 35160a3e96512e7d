package io.scoreboard.operator.rebuild;

import io.scoreboard.infra.database.ReadModelSchema;
import io.scoreboard.infra.database.RoleCredentials;
import io.scoreboard.operator.cli.Console;
import io.scoreboard.operator.cli.OperatorException;
import io.scoreboard.operator.cli.Progress;
import io.scoreboard.operator.cli.Target;
import io.scoreboard.operator.cli.WaitingOut;
import io.scoreboard.operator.source.EventTopicAdmin;
import io.scoreboard.operator.source.StoredEvents;
import io.scoreboard.operator.source.TopicEvents;
import io.scoreboard.projections.ProjectionException;
import io.scoreboard.projections.checkpoint.PartitionCheckpoint;
import io.scoreboard.projections.checkpoint.ProjectionCheckpoints;
import io.scoreboard.projections.scoreboard.ScoreboardProjection;
import io.scoreboard.startup.DatabaseRoles;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Rebuilds the read model beside the live one: fold every event in memory (the live projection's
 * rules), COPY the result into a new schema, record where in the topic it stands, catch up with
 * what arrived meanwhile, then switch atomically ({@link ReadModelSwitch}). With a point in time it
 * stops after the copy: a second, frozen read model for investigation, never switched in.
 * Nothing is dropped: the previous live model stays as a retired schema.
 */
public final class ReadModelRebuild {

    /** A rebuild is one at a time per read database; a second one waits for nothing and refuses. */
    private static final long REBUILD_LOCK = 0x5C0_4EB0_11DL;
    /** Catch-up rounds before the switch shrink the tail to be applied while the live runner waits. */
    private static final int CATCH_UP_ROUNDS = 3;
    private static final long SMALL_TAIL = 1_000;
    private static final List<String> BOARD_TABLES = List.of("scoreboards", "participants", "board_tokens", "teams");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(ZoneOffset.UTC);

    private final Target target;
    private final Console console;
    private final Clock clock;
    private final WaitingOut waiting;
    /** Schemas of attempts that a lost connection kept from removing: removed by the next attempt. */
    private final Set<String> leftovers = new LinkedHashSet<>();

    /** Gives up at the first fault (benchmarks). */
    public ReadModelRebuild(Target target, Console console, Clock clock) {
        this(target, console, clock, WaitingOut.never(console, target));
    }

    /** @param waiting waits out PostgreSQL or Kafka being unreachable (the rebuild then starts over, cleanly) */
    public ReadModelRebuild(Target target, Console console, Clock clock, WaitingOut waiting) {
        this.target = target;
        this.console = console;
        this.clock = clock;
        this.waiting = waiting;
    }

    /** What a rebuild did; also the --json result. */
    public record Report(String schema, String retiredSchema, RebuildSource source, Optional<Instant> until,
                         long eventsRead, long eventsApplied, long duplicates, long eventsAfterUntil, int boards,
                         long participants, long historyRows, long caughtUp, long foldMillis, long writeMillis, long switchLockMillis,
                         long totalMillis) {

        public double eventsPerSecond() {
            return totalMillis == 0 ? eventsRead : eventsRead * 1000.0 / totalMillis;
        }

        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("schema", schema);
            m.put("switched", until.isEmpty());
            m.put("retiredSchema", retiredSchema);
            m.put("source", source.option());
            m.put("until", until.map(Instant::toString).orElse(null));
            m.put("eventsRead", eventsRead);
            m.put("eventsApplied", eventsApplied);
            m.put("duplicatesSkipped", duplicates);
            m.put("eventsAfterUntil", eventsAfterUntil);
            m.put("boards", boards);
            m.put("participants", participants);
            m.put("historyRows", historyRows);
            m.put("caughtUpEvents", caughtUp);
            m.put("foldMillis", foldMillis);
            m.put("writeMillis", writeMillis);
            m.put("switchLockMillis", switchLockMillis);
            m.put("totalMillis", totalMillis);
            m.put("eventsPerSecond", Math.round(eventsPerSecond()));
            return m;
        }
    }

    /**
     * Builds, then switches (without {@code until}). A Kafka outage is waited out where the read was; a
     * lost database connection ends the attempt (its transactions are gone), and the rebuild starts
     * over from the beginning into a new schema, the unfinished one removed: the build is idempotent
     * and the switch atomic, so the live model is either the old one or a complete new one.
     */
    public Report run(RebuildSource source, Optional<Instant> until) throws Exception {
        long started = System.nanoTime();
        return waiting.retry("rebuilding the read model", "The read model being served is untouched (unless the "
                + "switch had committed as the connection dropped: './scoreboard status' shows it); run the rebuild "
                + "again once it is back.", () -> attempt(source, until, started));
    }

    private Report attempt(RebuildSource source, Optional<Instant> until, long started) throws Exception {
        Instant now = clock.instant();
        String schema = until.map(t -> "read_model_asof_" + STAMP.format(t) + "_b" + STAMP.format(now))
                .orElse("read_model_rebuild_" + STAMP.format(now));
        String retired = "read_model_retired_" + STAMP.format(now);
        try (Connection read = target.openRead();
             TopicEvents topic = new TopicEvents(target.kafka(), target.topic(), EventTopicAdmin.TIMEOUT, waiting)) {
            holdRebuildLock(read);
            for (String leftover : List.copyOf(leftovers)) {
                if (discardUnfinished(read, leftover)) {
                    leftovers.remove(leftover);
                }
            }
            if (ReadModelSwitch.schemaExists(read, schema)) {
                throw OperatorException.refused("schema " + schema + " already exists in the read database",
                        "wait a second and run the rebuild again (schema names carry the start time)");
            }
            leftovers.add(schema); // until it is switched in, kept as a copy, or removed
            // Created first, so the history can stream into it while the fold runs (HistoryStream).
            ReadModelSchema.migrate(plainUrl(target.readUrl()), new RoleCredentials(target.dbUser(),
                    target.dbPassword() == null ? "" : target.dbPassword()), DatabaseRoles.APP, schema);
            boolean keep = false;
            try {
                try (HistoryStream history = new HistoryStream(target::openRead, schema)) {
                    Report report = build(read, topic, history, source, until, schema, retired, now, started);
                    keep = true;
                    return report;
                }
            } finally {
                if (keep || discardUnfinished(read, schema)) {
                    leftovers.remove(schema);
                }
            }
        } catch (ProjectionException e) {
            throw new OperatorException(io.scoreboard.operator.cli.ExitCode.FAILED, "the rebuild stopped at an event "
                    + "the projection refuses (nothing was switched; the live read model is untouched): "
                    + e.getMessage(), "the source is missing or has damaged events for that board: run "
                    + "'./scoreboard verify', and rebuild from the other source (--source kafka / event-store)", e);
        }
    }

    private Report build(Connection read, TopicEvents topic, HistoryStream history, RebuildSource source,
                         Optional<Instant> until, String schema, String retired, Instant now, long started)
            throws Exception {
        EventFold fold = new EventFold(until, history);
        Map<Integer, PartitionCheckpoint> checkpoints = new HashMap<>();
        Optional<String> topicId = topic.topicId();

        long foldStart = System.nanoTime();
        if (source == RebuildSource.KAFKA) {
            foldTopic(topic, fold, checkpoints, topicId.orElse(null));
        } else {
            foldEventStore(topic, topicId, fold, checkpoints);
        }
        long foldMillis = millisSince(foldStart);

        long writeStart = System.nanoTime();
        console.say("[2/4] writing the rebuilt model into schema " + schema + " …");
        console.say("      history: " + String.format("%,d", history.rows()) + " rows (loaded while folding; "
                + "their indexes are built while the boards are copied)");
        CompletableFuture<Void> historyDone = CompletableFuture.runAsync(() -> {
            try {
                history.finish();
            } catch (SQLException e) {
                throw new CompletionException(e);
            }
        });
        long participants;
        try {
            read.setAutoCommit(false);
            // 300,000 boards are 1.5M participant rows: loaded without keys, then keyed once.
            DeferredIndexes keys = DeferredIndexes.drop(read, schema, BOARD_TABLES);
            Progress writing = console.progress("      boards", "boards", fold.model().boardCount());
            participants = ReadModelCopy.write(read, schema, fold.model(), writing);
            writing.finish();
            keys.restore(read);
        } finally {
            // The history's connections are closed next (also after a failure here): not while in use.
            awaitQuietly(historyDone);
        }
        try {
            historyDone.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof SQLException sql ? sql : e;
        }
        if (until.isEmpty()) {
            TopicCatchUp.useSchema(read, schema);
            new ProjectionCheckpoints().save(read, ScoreboardProjection.NAME, target.topic(), checkpoints.values());
        }
        comment(read, schema, until.isPresent()
                ? "point-in-time copy of the read model as of " + until.get() + ", built " + now + " from "
                        + source.option() + "; not served, for investigation"
                : "read model rebuilt " + now + " from " + source.option());
        read.commit();
        analyze(read, schema);
        long writeMillis = millisSince(writeStart);

        long caughtUp = 0;
        long lockMillis = 0;
        String retiredName = null;
        if (until.isEmpty()) {
            caughtUp = catchUp(read, schema, topic, topicId);
            console.say("[4/4] switching: " + schema + " becomes " + ReadModelSchema.LIVE + " …");
            ReadModelSwitch.Result switched = ReadModelSwitch.run(read, schema, retired,
                    topicId.isPresent() ? Optional.of(topic) : Optional.empty(), topicId.orElse(null));
            caughtUp += switched.caughtUp();
            lockMillis = switched.lockMillis();
            if (switched.replacedLive()) {
                retiredName = retired;
                comment(read, retired, "the read model served until " + clock.instant() + ", replaced by a rebuild");
                read.commit();
            }
        }
        return new Report(until.isPresent() ? schema : ReadModelSchema.LIVE, retiredName, source, until,
                fold.read(), fold.applied(), fold.duplicates(), fold.afterUntil(), fold.model().boardCount(),
                participants, history.rows(), caughtUp, foldMillis, writeMillis, lockMillis, millisSince(started));
    }

    private static void awaitQuietly(CompletableFuture<Void> task) {
        try {
            task.join();
        } catch (CompletionException | CancellationException ignored) {
            // the caller reports the failure
        }
    }

    /**
     * A rebuild that stopped before its schema was switched in (or kept as a point-in-time copy) removes
     * what it created, so a failed run leaves the read database as it found it. The name is this run's own
     * (it carries the start time, and did not exist when the run began); after a switch it no longer exists.
     */
    /** True when {@code schema} is gone (removed now, switched in, or never created). */
    private boolean discardUnfinished(Connection read, String schema) {
        try {
            if (!read.getAutoCommit()) {
                read.rollback();
                read.setAutoCommit(true);
            }
            if (!ReadModelSwitch.schemaExists(read, schema)) {
                return true; // switched in already (it is read_model now), or never created
            }
            try (Statement s = read.createStatement()) {
                s.execute("DROP SCHEMA " + ReadModelSchema.requireName(schema) + " CASCADE");
            }
            console.say("removed the unfinished schema " + schema + "; the read model being served is untouched");
            return true;
        } catch (SQLException e) {
            console.warn("could not remove the unfinished schema " + schema + " (" + e.getMessage() + "); it is not "
                    + "served: a next attempt removes it, or remove it with DROP SCHEMA " + schema + " CASCADE;");
            return false;
        }
    }

    private void foldTopic(TopicEvents topic, EventFold fold, Map<Integer, PartitionCheckpoint> checkpoints,
                           String topicId) throws Exception {
        Map<Integer, Long> begin = topic.beginningOffsets();
        Map<Integer, Long> end = topic.endOffsets();
        long total = 0;
        for (Map.Entry<Integer, Long> e : end.entrySet()) {
            total += e.getValue() - begin.getOrDefault(e.getKey(), 0L);
        }
        console.say("[1/4] folding " + String.format("%,d", total) + " records of topic " + topic.topic() + " ("
                + end.size() + " partitions) …");
        Map<Integer, Long> maxPositions = new HashMap<>();
        Progress progress = console.progress("      events", "events", total);
        topic.read(begin, end, (partition, offset, event) -> {
            fold.accept(event);
            maxPositions.merge(partition, event.position(), Math::max);
            progress.advance(1);
        });
        progress.finish();
        end.forEach((p, next) -> checkpoints.put(p, new PartitionCheckpoint(p, next,
                maxPositions.getOrDefault(p, 0L), topicId)));
    }

    /**
     * The topic's end offsets are read before the event store snapshot: every record below them was
     * committed before the snapshot, so it is in the fold, and the rebuilt model can take them as its
     * checkpoints; what follows them is read from the topic by the catch-up (duplicates skipped).
     */
    private void foldEventStore(TopicEvents topic, Optional<String> topicId, EventFold fold,
                                Map<Integer, PartitionCheckpoint> checkpoints) throws Exception {
        Map<Integer, Long> end = topicId.isPresent() ? topic.endOffsets() : Map.of();
        if (topicId.isEmpty()) {
            console.warn("the topic " + target.topic() + " does not exist: the rebuilt model records no topic "
                    + "position, and the live projection will read the topic from its start once it is republished");
        }
        try (Connection events = target.openEvents()) {
            StoredEvents.beginSnapshot(events);
            StoredEvents.Summary summary = StoredEvents.summary(events);
            console.say("[1/4] folding " + String.format("%,d", summary.events()) + " events of "
                    + Target.databaseName(target.eventsUrl()) + " (up to position " + summary.lastPosition() + ") …");
            Progress progress = console.progress("      events", "events", summary.events());
            StoredEvents.forEach(events, 0, event -> {
                fold.accept(event);
                progress.advance(1);
            });
            progress.finish();
            events.commit();
        }
        end.forEach((p, next) -> checkpoints.put(p, new PartitionCheckpoint(p, next, fold.maxPosition(),
                topicId.orElse(null))));
    }

    /** Rounds of catch-up from the topic while the live model keeps serving, until the tail is short. */
    private long catchUp(Connection read, String schema, TopicEvents topic, Optional<String> topicId) throws Exception {
        if (topicId.isEmpty()) {
            return 0;
        }
        console.say("[3/4] catching up with events that arrived meanwhile …");
        long total = 0;
        for (int round = 0; round < CATCH_UP_ROUNDS; round++) {
            long applied = TopicCatchUp.run(read, schema, topic, topicId.get(), topic.endOffsets());
            read.commit();
            total += applied;
            if (applied < SMALL_TAIL) {
                break;
            }
        }
        console.say("      " + String.format("%,d", total) + " events");
        return total;
    }

    private void holdRebuildLock(Connection read) throws SQLException {
        try (PreparedStatement p = read.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            p.setLong(1, REBUILD_LOCK);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    throw OperatorException.refused("another rebuild is running against "
                            + Target.databaseName(target.readUrl()), "wait for it to finish (its progress is on "
                            + "the terminal that started it), then run this one again if still needed");
                }
            }
        }
    }

    /** Says in the catalogue what a schema is; part of the caller's transaction. */
    private static void comment(Connection c, String schema, String text) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("COMMENT ON SCHEMA " + ReadModelSchema.requireName(schema) + " IS '" + text.replace("'", "''") + "'");
        }
    }

    /** Fresh statistics, so the first queries on the new model get good plans. */
    private static void analyze(Connection c, String schema) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            s.execute("ANALYZE " + schema + ".scoreboards");
            s.execute("ANALYZE " + schema + ".participants");
            s.execute("ANALYZE " + schema + ".board_tokens");
            s.execute("ANALYZE " + schema + ".teams");
            s.execute("ANALYZE " + schema + ".team_changes");
            s.execute("ANALYZE " + schema + ".board_changes");
            s.execute("ANALYZE " + schema + ".participant_changes");
            s.execute("ANALYZE " + schema + ".board_events");
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /** Flyway chooses the schema itself; a currentSchema in the URL would only confuse it. */
    private static String plainUrl(String url) {
        List<String> kept = new ArrayList<>();
        int q = url.indexOf('?');
        if (q < 0) {
            return url;
        }
        for (String param : url.substring(q + 1).split("&")) {
            if (!param.startsWith("currentSchema=")) {
                kept.add(param);
            }
        }
        return url.substring(0, q) + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
