package io.scoreboard.operator.republish;

import io.scoreboard.operator.cli.Console;
import io.scoreboard.operator.cli.ExitCode;
import io.scoreboard.operator.cli.OperatorException;
import io.scoreboard.operator.cli.TransientFaults;
import io.scoreboard.startup.EventStoreTables;
import io.scoreboard.startup.ReplicatorToken;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Holds the command service's replicator still while republish refills the topic, by holding the
 * claim on its Axon token ({@code token_entry}, processor {@value ReplicatorToken#PROCESSOR}). Otherwise, once the
 * topic exists again, the replicator would publish a board's newer events before republish has sent
 * its older ones, and every reader would meet a gap.
 *
 * <p>Why this is enough, with the command service's replicator (ADR 0013, which kept the token row's
 * protocol of Axon's tracking processor): every cycle starts by re-claiming the token with
 * {@code SELECT ... FOR UPDATE} inside the cycle's transaction, before it sends anything, and keeps that
 * row lock until the cycle is committed or rolled back, which happens only when no send of the cycle is
 * in flight. So whoever holds the row lock knows that no cycle is running, and once the claim names
 * another owner, the next cycle stops before it sends. The replicator retries the claim every
 * {@code claim-interval}: it resumes by itself, from its own token, after {@link #close()}. The claim is
 * kept fresh below the replicator's claim timeout, or the replicator would take it back.
 */
final class ReplicatorPause implements AutoCloseable {

    /** How republish names itself in token_entry.owner; also how a second republish is recognised. */
    static final String OWNER_PREFIX = "scoreboard-cli republish ";
    /** Axon's claim timeout (axon.eventhandling.tokenstore.claim-timeout, 10 s in our configuration). */
    static final Duration AXON_CLAIM_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration HEARTBEAT = Duration.ofSeconds(2);
    /** A batch holding the row lock is waited for in steps: a short first one, so the operator hears why at once. */
    private static final Duration FIRST_LOCK_STEP = Duration.ofMillis(200);
    private static final Duration LOCK_STEP = Duration.ofSeconds(2);
    /** Axon's own format for token_entry.timestamp (DateTimeUtils.formatInstant). */
    private static final DateTimeFormatter AXON_TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Supplier<Connection> reconnect;
    private final String owner;
    private final Clock clock;
    private final boolean holding;
    private final ScheduledExecutorService heartbeat;
    private Connection connection; // replaced after a lost connection; guarded by this
    private volatile String lost;

    private ReplicatorPause(Connection connection, Supplier<Connection> reconnect, String owner, Clock clock,
                            boolean holding) {
        this.connection = connection;
        this.reconnect = reconnect;
        this.owner = owner;
        this.clock = clock;
        this.holding = holding;
        this.heartbeat = holding ? Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "replicator-claim-heartbeat");
            t.setDaemon(true);
            return t;
        }) : null;
        if (holding) {
            heartbeat.scheduleWithFixedDelay(this::refresh, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Takes the replicator's claim, waiting up to {@code wait} for a batch in progress to end. Without a
     * token row the replicator has never run on this store; one that starts later begins at the store's
     * first event, so its copies and republish's can interleave without a gap: nothing to pause.
     *
     * @param connection a connection of its own to the event store; this pause owns and closes it
     * @param reconnect  a new connection to the event store, when PostgreSQL dropped the last one: the
     *                   claim is kept fresh through an outage, and only lost when someone else took it
     */
    static ReplicatorPause take(Connection connection, Supplier<Connection> reconnect, Duration wait, Console console,
                                Clock clock) throws SQLException {
        String owner = OWNER_PREFIX + ManagementFactory.getRuntimeMXBean().getName();
        Instant deadline = clock.instant().plus(wait);
        boolean told = false;
        connection.setAutoCommit(false);
        while (true) {
            try {
                boolean holding = claim(connection, owner, clock, told ? LOCK_STEP : FIRST_LOCK_STEP);
                connection.commit();
                connection.setAutoCommit(true);
                if (!holding) {
                    console.say("The replicator has never run on this event store: nothing to pause.");
                }
                return new ReplicatorPause(connection, reconnect, owner, clock, holding);
            } catch (SQLException e) {
                if (!"55P03".equals(e.getSQLState())) { // lock_not_available: a batch is in progress
                    closeQuietly(connection);
                    throw e;
                }
                connection.rollback();
            } catch (RuntimeException e) {
                connection.rollback();
                connection.close();
                throw e;
            }
            if (!told) {
                console.say("Waiting for the replicator's current batch to end (while the topic is missing, a "
                        + "batch retries its sends for up to 2 minutes, then fails and lets go) ...");
                told = true;
            }
            if (clock.instant().isAfter(deadline)) {
                connection.close();
                throw OperatorException.refused("the command service's replicator kept its token locked for "
                        + wait.toSeconds() + " s (a batch of events in progress). Nothing was changed.",
                        "run republish again, with a longer --claim-timeout; if it keeps happening, stop the "
                                + "command service (it resumes replicating by itself after republish) and retry");
            }
        }
    }

    /** One attempt within the caller's transaction; false when there is no token to claim. */
    private static boolean claim(Connection c, String owner, Clock clock, Duration lockTimeout) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET LOCAL lock_timeout = '" + lockTimeout.toMillis() + "ms'");
        }
        boolean any = false;
        try (PreparedStatement p = c.prepareStatement(
                "SELECT owner, timestamp FROM " + EventStoreTables.TOKENS + " WHERE processor_name = ? FOR UPDATE")) {
            p.setString(1, ReplicatorToken.PROCESSOR);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    any = true;
                    refuseIfAnotherRepublish(rs.getString(1), rs.getString(2), owner, clock);
                }
            }
        }
        if (any) {
            try (PreparedStatement p = c.prepareStatement(
                    "UPDATE " + EventStoreTables.TOKENS + " SET owner = ?, timestamp = ? WHERE processor_name = ?")) {
                p.setString(1, owner);
                p.setString(2, AXON_TIMESTAMP.format(clock.instant()));
                p.setString(3, ReplicatorToken.PROCESSOR);
                p.executeUpdate();
            }
        }
        return any;
    }

    private static void refuseIfAnotherRepublish(String holder, String timestamp, String me, Clock clock) {
        if (holder == null || holder.equals(me) || !holder.startsWith(OWNER_PREFIX) || timestamp == null) {
            return;
        }
        if (Instant.parse(timestamp).isAfter(clock.instant().minus(AXON_CLAIM_TIMEOUT))) {
            throw OperatorException.refused("another republish (" + holder.substring(OWNER_PREFIX.length())
                    + ") is running against this event store. Nothing was changed.",
                    "wait for it to finish; two at once would interleave their copies of the history");
        }
    }

    /** Throws when the claim was lost: from then on the replicator may publish ahead of republish. */
    void requireHeld() {
        String problem = lost;
        if (problem != null) {
            throw new OperatorException(ExitCode.FAILED, problem + ". The replicator may have published newer events "
                    + "into the topic before their boards' history.",
                    "delete the topic and run republish again; keep this process from stalling (it refreshes "
                            + "the claim every " + HEARTBEAT.toSeconds() + " s, Axon drops it after "
                            + AXON_CLAIM_TIMEOUT.toSeconds() + " s)");
        }
    }

    boolean holding() {
        return holding;
    }

    /**
     * Keeps the claim fresh. A connection PostgreSQL dropped is replaced at the next beat: the
     * replicator cannot claim anything while the database is away either, and once it is back the
     * update below finds the claim still ours (held on) or someone else's (lost, and said so).
     */
    private synchronized void refresh() {
        try {
            if (connection == null) {
                connection = reconnect.get();
            }
            try (PreparedStatement p = connection.prepareStatement(
                    "UPDATE " + EventStoreTables.TOKENS
                            + " SET timestamp = ? WHERE processor_name = ? AND owner = ?")) {
                p.setString(1, AXON_TIMESTAMP.format(clock.instant()));
                p.setString(2, ReplicatorToken.PROCESSOR);
                p.setString(3, owner);
                if (p.executeUpdate() == 0) {
                    lost = "the replicator's claim was taken over by another owner while republishing";
                }
            }
        } catch (RuntimeException | SQLException e) {
            if (!TransientFaults.isTransient(e)) {
                lost = "the replicator's claim could not be kept fresh (" + e.getMessage() + ")";
            }
            closeQuietly(connection);
            connection = null; // the next beat connects again
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException alreadyGone) {
                // a dropped connection: nothing to close
            }
        }
    }

    /**
     * Lets the replicator go: it claims its token again within a second or two and resumes from it.
     * When PostgreSQL is away just then, the claim lapses by itself after Axon's claim timeout.
     */
    @Override
    public void close() {
        if (holding) {
            heartbeat.shutdownNow();
            try {
                heartbeat.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            try {
                if (holding) {
                    if (connection == null) {
                        connection = reconnect.get();
                    }
                    try (PreparedStatement p = connection.prepareStatement(
                            "UPDATE " + EventStoreTables.TOKENS
                                    + " SET owner = NULL WHERE processor_name = ? AND owner = ?")) {
                        p.setString(1, ReplicatorToken.PROCESSOR);
                        p.setString(2, owner);
                        p.executeUpdate();
                    }
                }
            } catch (RuntimeException | SQLException e) {
                // the claim lapses after Axon's claim timeout, and the replicator takes it back then
            } finally {
                closeQuietly(connection);
                connection = null;
            }
        }
    }
}
