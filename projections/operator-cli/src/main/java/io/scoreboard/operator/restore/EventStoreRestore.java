package io.scoreboard.operator.restore;

import io.scoreboard.operator.cli.Confirmation;
import io.scoreboard.operator.cli.Console;
import io.scoreboard.operator.cli.ExitCode;
import io.scoreboard.operator.cli.OperatorException;
import io.scoreboard.operator.cli.Target;
import io.scoreboard.operator.cli.WaitingOut;
import io.scoreboard.operator.source.EventTopicAdmin;
import io.scoreboard.operator.source.TopicEvents;
import io.scoreboard.startup.DatabaseRoles;
import io.scoreboard.startup.EnvironmentVariables;
import io.scoreboard.startup.EventStoreTables;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

/**
 * Refills an empty event store from the Kafka topic: same event ids, positions, per-board sequence
 * numbers, payloads and time stamps, in one transaction (a crash or a refusal leaves the store
 * empty, so it can simply be run again). Checks first, changes nothing until confirmed, and takes
 * the event store's tables for itself while it writes, so no service can write in between.
 */
public final class EventStoreRestore {

    /** How long to wait for a session that still uses the tables (a service that was just stopped). */
    private static final String LOCK_TIMEOUT = "10s";
    private static final String LOCK_NOT_AVAILABLE = "55P03";
    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    private final Target target;
    private final Console console;
    private final Clock clock;
    private final WaitingOut waiting;
    /** A commit was sent: if its answer was lost with the connection, the store may be full already. */
    private boolean commitSent;

    /** Gives up at the first fault (benchmarks). */
    public EventStoreRestore(Target target, Console console, Clock clock) {
        this(target, console, clock, WaitingOut.never(console, target));
    }

    /**
     * @param waiting waits out PostgreSQL or Kafka being unreachable: a Kafka outage where the copy
     *                was, a lost database connection by starting the (rolled back) copy over
     */
    public EventStoreRestore(Target target, Console console, Clock clock, WaitingOut waiting) {
        this.target = target;
        this.console = console;
        this.clock = clock;
        this.waiting = waiting;
    }

    /** @param confirm the value of {@code --confirm}, or null to ask (or refuse when nobody can answer) */
    public RestoreResult run(String confirm) throws Exception {
        String database = Target.databaseName(target.eventsUrl());
        String store = database + " (" + target.eventsUrl() + ")";
        TopicExtent extent = waiting.retry("checking the event store and the topic", "Nothing was changed.", () -> {
            try (Connection events = target.openEvents(); TopicEvents topic = topic()) {
                StoreState.read(events).requireRestorable(store, clock.instant());
                return TopicExtent.of(topic, target.kafka());
            }
        });
        describe(database, extent);
        Confirmation.require(console, confirm, target.environment(), "refill the event store " + store
                + " from topic '" + target.topic() + "' (" + extent.records() + " records)");
        // One transaction: a lost connection rolls all of it back, so starting over is safe.
        return waiting.retry("restoring the event store", "Nothing was written: the restore is one transaction, "
                + "rolled back with the connection; run it again once it is back.", () -> {
            try (Connection events = target.openEvents(); TopicEvents topic = topic()) {
                return restore(events, topic, extent, store, database);
            }
        });
    }

    private TopicEvents topic() {
        return new TopicEvents(target.kafka(), target.topic(), EventTopicAdmin.TIMEOUT, waiting);
    }

    private RestoreResult restore(Connection events, TopicEvents topic, TopicExtent extent, String store,
                                  String database) throws Exception {
        long started = System.nanoTime();
        events.setAutoCommit(false);
        try {
            lockTables(events);
            StoreState state = StoreState.read(events);
            if (commitSent && state.events() > 0) {
                throw new OperatorException(ExitCode.FAILED, "the connection to the event store dropped while the "
                        + "restore was committing, and the store now holds " + state.events() + " events: the commit "
                        + "most likely went through.", "run './scoreboard verify' to compare the event store with the "
                        + "topic; if they agree, the restore is done (start the command services)");
            }
            // Checked again under the lock: a service started since the first check would show here.
            state.requireRestorable(store, clock.instant());
            TopicCopy.Tally tally = TopicCopy.copy(events, topic, extent,
                    console.progress("Restoring", "records", extent.records()));
            console.say("Checking that every board's sequence numbers are complete …");
            long boards = SequenceCheck.requireComplete(events);
            ReplicatorPosition.continueAfter(events, tally.lastPosition(), clock.instant());
            commitSent = true;
            events.commit();
            return new RestoreResult(target.environment(), database, target.topic(), tally.records(), tally.events(),
                    boards, tally.lastPosition(), Duration.ofNanos(System.nanoTime() - started));
        } catch (Exception e) {
            rollbackQuietly(events);
            throw e;
        }
    }

    private void describe(String database, TopicExtent extent) {
        console.say("Restore the event store from Kafka");
        console.say("  environment: " + target.environment());
        console.say("  database:    " + database + " at " + target.eventsUrl() + " (as " + target.dbUser() + ")");
        console.say("               empty and migrated; no command service is replicating from it");
        console.say(String.format(Locale.ROOT, "  topic:       %s on %s: %,d records in %d partition(s), "
                + "duplicates included", target.topic(), target.kafka(), extent.records(), extent.partitions()));
    }

    /**
     * EXCLUSIVE mode still lets services read, but no one can append an event or claim the
     * replicator's token until the restore has committed or rolled back.
     */
    private void lockTables(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET LOCAL lock_timeout = '" + LOCK_TIMEOUT + "'");
            s.execute("LOCK TABLE " + EventStoreTables.EVENTS + ", " + EventStoreTables.SNAPSHOTS + ", "
                    + EventStoreTables.TOKENS + " IN EXCLUSIVE MODE");
        } catch (SQLException e) {
            if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                throw OperatorException.refused("another session has been using the event store's tables for "
                        + LOCK_TIMEOUT + ". Nothing was changed.", "stop the command service(s) and any other "
                        + "client of the event store, then run this again");
            }
            if (INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
                // The services' role may append events but not take the tables or move the position sequence.
                throw OperatorException.refused("role " + target.dbUser() + " may not restore the event store ("
                        + e.getMessage() + "). Nothing was changed.", "connect as the owner role: --db-user "
                        + DatabaseRoles.OWNER + " (or " + EnvironmentVariables.DB_USER + ") with its password");
            }
            throw e;
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException alreadyFailing) {
            // closing the connection rolls back too; the original failure is the one to report
        }
    }
}
