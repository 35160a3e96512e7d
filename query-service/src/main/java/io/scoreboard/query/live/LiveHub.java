package io.scoreboard.query.live;

import io.scoreboard.events.EventCatalogue;
import io.scoreboard.events.ScoreboardVisibilityChangedEvent;
import io.scoreboard.events.TokenRevokedEvent;
import io.scoreboard.projections.scoreboard.BoardAccess;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.scoreboard.projections.scoreboard.BoardChangeNotices;
import io.scoreboard.projections.scoreboard.BoardTimeline;
import io.scoreboard.projections.scoreboard.ScoreboardReader;
import io.scoreboard.projections.scoreboard.ScoreboardView;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Feeds every open live stream of this instance (docs/adr/0038). It follows the boards that have viewers,
 * from the read model rather than from Kafka: the read model is shared by every query-service instance and
 * holds each board's whole history with positions, so a viewer on any instance gets every change of its
 * board in order, and a reconnect can resume after any event the history still has.
 *
 * <p>One thread owns every followed board. It listens for the projection's notices
 * ({@link BoardChangeNotices}: sent in the transaction that applies the events, so they arrive when the rows
 * are committed), reads the noticed boards' new events ({@link BoardTimeline}), applies them to the boards in
 * memory and hands each viewer the resulting {@code change}. Every {@code fullCheck} it also compares every
 * followed board with the read model, in case a notice was lost. After the listening connection failed (the
 * read database restarted, dropped, recreated) every viewer gets a new {@code snapshot}: what the read model
 * holds now is the truth, never the board this instance remembered.
 *
 * <p>Each read is one REPEATABLE READ transaction, so a board's version, its events and its ranking agree.
 */
final class LiveHub implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LiveHub.class);
    private static final int NOTICE_WAIT_MILLIS = 50;
    private static final int EVENTS_PER_READ = 500;
    private static final Duration LONGEST_RETRY = Duration.ofSeconds(5);
    /** Events after which a private board's viewers are checked again. */
    private static final Set<String> ACCESS_EVENTS = Set.of(
            EventCatalogue.byClass(TokenRevokedEvent.class).orElseThrow().name(),
            EventCatalogue.byClass(ScoreboardVisibilityChangedEvent.class).orElseThrow().name());

    private final DataSource connections;
    private final LiveMessages messages;
    private final LiveProperties properties;
    private final ScoreboardReader reader = new ScoreboardReader();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Set<LiveViewer> open = ConcurrentHashMap.newKeySet();
    /** Owned by the hub's thread. */
    private final Map<UUID, LiveBoard> boards = new HashMap<>();
    /** Followed boards the read model does not have right now (wiped, being rebuilt): snapshot when back. */
    private final Map<UUID, Set<LiveViewer>> awaiting = new HashMap<>();
    private final AtomicInteger followed = new AtomicInteger();
    private final Counter changesPushed;
    private final Counter snapshotsSent;
    private final Counter resumed;
    private final Map<LiveViewer.Ending, Counter> ended = new java.util.EnumMap<>(LiveViewer.Ending.class);
    private final Timer pushLatency;

    private volatile boolean running;
    private Thread thread;
    private ScheduledExecutorService heartbeats;
    private Connection listening;
    private boolean resyncAll;
    private long nextFullCheck;

    LiveHub(DataSource connections, LiveMessages messages, LiveProperties properties, MeterRegistry meters) {
        this.connections = connections;
        this.messages = messages;
        this.properties = properties;
        Gauge.builder("scoreboard.live.streams", open, Set::size)
                .description("Live streams open on this instance").register(meters);
        Gauge.builder("scoreboard.live.boards", followed, AtomicInteger::get)
                .description("Boards this instance follows for its live streams").register(meters);
        this.changesPushed = Counter.builder("scoreboard.live.changes")
                .description("change events handed to live viewers (one per viewer)").register(meters);
        this.snapshotsSent = Counter.builder("scoreboard.live.snapshots")
                .description("snapshot events handed to live viewers (on connect, or when a board had to be re-read)")
                .register(meters);
        this.resumed = Counter.builder("scoreboard.live.resumed")
                .description("reconnects resumed exactly after their Last-Event-ID (without a new snapshot)")
                .register(meters);
        for (LiveViewer.Ending why : LiveViewer.Ending.values()) {
            ended.put(why, Counter.builder("scoreboard.live.ended")
                    .description("live streams ended, by why (slow: dropped for not reading)")
                    .tag("reason", why.name().toLowerCase()).register(meters));
        }
        this.pushLatency = Timer.builder("scoreboard.live.push.latency")
                .description("from an event's time to its change queued for its viewers")
                .publishPercentiles(0.5, 0.99).register(meters);
    }

    /** Starts streaming to {@code viewer}: a snapshot, or the changes after {@code lastEventId}. */
    void follow(LiveViewer viewer, OptionalLong lastEventId) {
        open.add(viewer);
        tasks.add(() -> join(viewer, lastEventId));
    }

    /** The viewer's stream ended (by whichever side): forget it. */
    void ended(LiveViewer viewer) {
        if (open.remove(viewer)) {
            LiveViewer.Ending why = viewer.ending();
            ended.get(why == null ? LiveViewer.Ending.CLIENT_GONE : why).increment();
            tasks.add(() -> leave(viewer));
        }
    }

    int openStreams() {
        return open.size();
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "live-boards");
        thread.setDaemon(true);
        thread.start();
        heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "live-heartbeats");
            t.setDaemon(true);
            return t;
        });
        long every = properties.heartbeat().toMillis();
        heartbeats.scheduleWithFixedDelay(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
    }

    /** Ends every stream first, so that the web server's graceful shutdown does not wait for them. */
    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        heartbeats.shutdownNow();
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (LiveViewer viewer : List.copyOf(open)) {
            viewer.end(LiveViewer.Ending.SHUTDOWN);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void heartbeat() {
        long now = System.nanoTime();
        long slow = properties.slowViewerTimeout().toNanos();
        for (LiveViewer viewer : open) {
            // A scheduled task that throws is never run again: one viewer's failure must not stop the heartbeats
            // and the slow-viewer checks of all the others.
            try {
                if (viewer.stuckFor(slow, now)) {
                    viewer.drop();
                } else {
                    viewer.send(LiveMessages.HEARTBEAT);
                }
            } catch (RuntimeException e) {
                log.warn("live boards: a heartbeat failed ({}); that stream is ended", e.toString());
                viewer.end(LiveViewer.Ending.FAILED);
            }
        }
    }

    private void run() {
        Duration pause = Duration.ofMillis(100);
        boolean failing = false;
        while (running) {
            try {
                if (listening == null) {
                    listening = listen();
                    if (failing) {
                        log.info("live boards: the read database answers again; every viewer gets a new snapshot");
                    }
                }
                if (resyncAll) {
                    inTransaction(c -> {
                        for (UUID board : new ArrayList<>(boards.keySet())) {
                            resnapshot(c, board);
                        }
                        for (UUID board : new ArrayList<>(awaiting.keySet())) {
                            resnapshot(c, board);
                        }
                    });
                    resyncAll = false;
                }
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                Set<UUID> noticed = noticed();
                if (System.nanoTime() - nextFullCheck >= 0) {
                    noticed.addAll(boards.keySet());
                    noticed.addAll(awaiting.keySet());
                    nextFullCheck = System.nanoTime() + properties.fullCheck().toNanos();
                }
                noticed.retainAll(followedBoards());
                if (!noticed.isEmpty()) {
                    inTransaction(c -> catchUp(c, noticed));
                }
                pause = Duration.ofMillis(100);
                failing = false;
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    break;
                }
                if (!failing) {
                    log.warn("live boards: the read database failed ({}); retrying, viewers stay connected and get a "
                            + "new snapshot once it answers", e.toString());
                }
                failing = true;
                closeListening();
                resyncAll = true;
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException interrupted) {
                    break;
                }
                pause = pause.multipliedBy(2).compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : pause.multipliedBy(2);
            }
        }
        closeListening();
    }

    private Set<UUID> followedBoards() {
        Set<UUID> all = new HashSet<>(boards.keySet());
        all.addAll(awaiting.keySet());
        return all;
    }

    private Connection listen() throws SQLException {
        Connection c = connections.getConnection();
        try (Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            s.execute("LISTEN " + BoardChangeNotices.CHANNEL);
            return c;
        } catch (SQLException e) {
            c.close();
            throw e;
        }
    }

    /** The boards the projection changed since the last call; waits a little for one when there is none. */
    private Set<UUID> noticed() throws SQLException {
        Set<UUID> noticed = new HashSet<>();
        PGNotification[] notices = listening.unwrap(PGConnection.class).getNotifications(NOTICE_WAIT_MILLIS);
        if (notices != null) {
            for (PGNotification notice : notices) {
                noticed.addAll(BoardChangeNotices.boardsOf(notice.getParameter()));
            }
        }
        return noticed;
    }

    private void closeListening() {
        if (listening != null) {
            try {
                listening.close();
            } catch (SQLException ignored) {
                // broken already
            }
            listening = null;
        }
    }

    @FunctionalInterface
    private interface Work {
        void run(Connection c) throws SQLException;
    }

    private void inTransaction(Work work) throws SQLException {
        try (Connection c = connections.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // the connection is gone
                }
                throw e;
            }
        }
    }

    private void join(LiveViewer viewer, OptionalLong lastEventId) {
        if (!open.contains(viewer)) {
            return; // ended before its turn
        }
        try {
            inTransaction(c -> join(c, viewer, lastEventId));
        } catch (SQLException | RuntimeException e) {
            tasks.add(() -> join(viewer, lastEventId)); // again after the hub's retry pause
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
        }
    }

    private void join(Connection c, LiveViewer viewer, OptionalLong lastEventId) throws SQLException {
        UUID id = viewer.scoreboardId();
        LiveBoard board = boards.get(id);
        if (board == null) {
            Set<LiveViewer> waiting = awaiting.get(id);
            if (waiting != null) {
                waiting.add(viewer); // the read model does not have the board right now: a snapshot when it does
                return;
            }
            Optional<BoardTimeline.State> state = BoardTimeline.current(c, id);
            if (state.isEmpty() || state.get().board().deleted()) {
                viewer.end(LiveViewer.Ending.BOARD_DELETED); // gone since the request was checked
                return;
            }
            board = new LiveBoard(state.get());
            boards.put(id, board);
            followed.set(boards.size() + awaiting.size());
        } else {
            catchUp(c, Set.of(id));
            if (boards.get(id) != board) {
                join(c, viewer, lastEventId); // re-read or deleted meanwhile: start over from what holds now
                return;
            }
        }
        if (lastEventId.isPresent() && resume(c, board, viewer, lastEventId.getAsLong())) {
            board.viewers.add(viewer);
            return;
        }
        Optional<ScoreboardView> view = reader.find(c, id);
        if (view.isEmpty()) {
            viewer.end(LiveViewer.Ending.BOARD_DELETED);
            return;
        }
        board.viewers.add(viewer);
        if (viewer.send(messages.snapshot(LiveMessages.Snapshot.of(view.get())))) {
            snapshotsSent.increment();
        }
    }

    /**
     * Sends the viewer every change after the board's event at {@code lastEventId}, worked out from that event's
     * state in the history; false when it cannot (no such event of the board, more than {@code maxResumeEvents}
     * behind, or changes that add up to more than {@code maxQueuedBytes}): the caller sends a snapshot instead.
     */
    private boolean resume(Connection c, LiveBoard board, LiveViewer viewer, long lastEventId) throws SQLException {
        if (lastEventId == board.position()) {
            resumed.increment();
            return true;
        }
        if (lastEventId > board.position()) {
            return false;
        }
        Optional<BoardTimeline.State> then = BoardTimeline.at(c, board.scoreboardId(), lastEventId);
        if (then.isEmpty()) {
            return false;
        }
        long behind = board.version() - then.get().board().version();
        if (behind > properties.maxResumeEvents()) {
            return false;
        }
        LiveBoard replay = new LiveBoard(then.get());
        List<byte[]> changes = new ArrayList<>();
        long bytes = 0;
        while (replay.version() < board.version()) {
            List<BoardTimeline.Event> events = BoardTimeline.after(c, board.scoreboardId(), replay.position(),
                    board.version(), EVENTS_PER_READ);
            if (events.isEmpty()) {
                return false;
            }
            for (BoardTimeline.Event event : events) {
                if (event.sequenceNumber() != replay.version() + 1) {
                    return false;
                }
                byte[] change = messages.change(replay.apply(event));
                bytes += change.length;
                if (bytes > properties.maxQueuedBytes()) {
                    return false; // more than a viewer may have waiting: it would be dropped before taking it
                }
                changes.add(change);
            }
        }
        for (byte[] change : changes) {
            viewer.send(change);
        }
        changesPushed.increment(changes.size());
        resumed.increment();
        return true;
    }

    private void leave(LiveViewer viewer) {
        UUID id = viewer.scoreboardId();
        LiveBoard board = boards.get(id);
        if (board != null) {
            board.viewers.remove(viewer);
            if (board.viewers.isEmpty()) {
                boards.remove(id);
            }
        }
        Set<LiveViewer> waiting = awaiting.get(id);
        if (waiting != null) {
            waiting.remove(viewer);
            if (waiting.isEmpty()) {
                awaiting.remove(id);
            }
        }
        followed.set(boards.size() + awaiting.size());
    }

    /**
     * Brings followed boards up to the read model's versions, handing each event's change to its boards' viewers.
     * Two statements for all of them (their versions, then their new events, again for boards with more than
     * {@code EVENTS_PER_READ} new events): the full check reads every followed board at once, and a batch of
     * notices costs the same round trips however many boards it names. A board that cannot be brought forward
     * event by event is re-read (a snapshot goes out) or ended.
     */
    private void catchUp(Connection c, Set<UUID> ids) throws SQLException {
        Map<UUID, Long> versions = reader.versions(c, ids);
        Map<UUID, Long> behind = new HashMap<>();
        for (UUID id : ids) {
            LiveBoard board = boards.get(id);
            Long version = versions.get(id);
            if (board == null || version == null || version < board.version()) {
                resnapshot(c, id); // awaited, or wiped, rebuilt or rewound under us: what it holds now is the truth
            } else if (version > board.version()) {
                behind.put(id, version);
            }
        }
        while (!behind.isEmpty()) {
            List<BoardTimeline.Cursor> cursors = new ArrayList<>();
            behind.forEach((id, version) -> cursors.add(new BoardTimeline.Cursor(id, boards.get(id).position(), version)));
            Map<UUID, List<BoardTimeline.Event>> events = BoardTimeline.after(c, cursors, EVENTS_PER_READ);
            for (var it = behind.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<UUID, Long> target = it.next();
                UUID id = target.getKey();
                if (!apply(c, id, events.getOrDefault(id, List.of())) || boards.get(id).version() >= target.getValue()) {
                    it.remove();
                }
            }
        }
    }

    /** Applies the board's next events and pushes their changes; false when the board was re-read or ended instead. */
    private boolean apply(Connection c, UUID id, List<BoardTimeline.Event> events) throws SQLException {
        LiveBoard board = boards.get(id);
        if (events.isEmpty() || events.get(0).sequenceNumber() != board.version() + 1) {
            resnapshot(c, id); // the history does not hold the next event: no guessing
            return false;
        }
        for (BoardTimeline.Event event : events) {
            if (event.sequenceNumber() != board.version() + 1) {
                resnapshot(c, id);
                return false;
            }
            byte[] change = messages.change(board.apply(event));
            if (ACCESS_EVENTS.contains(event.type())) {
                endThoseWithoutAccess(c, board);
            }
            pushLatency.record(Duration.between(event.occurredAt(), Instant.now()));
            for (LiveViewer viewer : List.copyOf(board.viewers)) {
                if (viewer.send(change)) {
                    changesPushed.increment();
                }
            }
            if (board.deleted()) {
                endAll(board.viewers, LiveViewer.Ending.BOARD_DELETED);
                boards.remove(id);
                followed.set(boards.size() + awaiting.size());
                return false;
            }
        }
        return true;
    }

    /** Re-reads the board whole and sends its viewers a new snapshot (or ends them: the board was deleted). */
    private void resnapshot(Connection c, UUID id) throws SQLException {
        // Read before the viewers are taken off the board: a read that fails (a read database recreated but not yet
        // migrated, say) must leave them where the retry finds them, not lost to every later snapshot.
        Optional<BoardTimeline.State> state = BoardTimeline.current(c, id);
        Optional<ScoreboardView> view = state.isEmpty() ? Optional.empty() : reader.find(c, id);
        Set<LiveViewer> viewers = new HashSet<>();
        LiveBoard before = boards.remove(id);
        if (before != null) {
            viewers.addAll(before.viewers);
        }
        Set<LiveViewer> waiting = awaiting.remove(id);
        if (waiting != null) {
            viewers.addAll(waiting);
        }
        if (view.isEmpty()) {
            awaiting.put(id, viewers);
        } else if (state.get().board().deleted()) {
            endAll(viewers, LiveViewer.Ending.BOARD_DELETED);
        } else {
            LiveBoard board = new LiveBoard(state.get());
            board.viewers.addAll(viewers);
            boards.put(id, board);
            byte[] snapshot = messages.snapshot(LiveMessages.Snapshot.of(view.get()));
            for (LiveViewer viewer : viewers) {
                if (viewer.send(snapshot)) {
                    snapshotsSent.increment();
                }
            }
        }
        followed.set(boards.size() + awaiting.size());
    }

    /**
     * After a token was revoked or the board made private: its viewers whose token no longer opens it are cut off at
     * once (ADR 0041), before the event's change reaches them. Reconnecting, they get the 404 of a board that does
     * not exist.
     */
    private static void endThoseWithoutAccess(Connection c, LiveBoard board) throws SQLException {
        Optional<BoardAccess> access = BoardAccess.read(c, board.scoreboardId());
        for (LiveViewer viewer : List.copyOf(board.viewers)) {
            if (access.isPresent() && !access.get().admits(viewer.tokenHash())) {
                viewer.end(LiveViewer.Ending.ACCESS_REVOKED);
            }
        }
    }

    private static void endAll(Set<LiveViewer> viewers, LiveViewer.Ending why) {
        for (LiveViewer viewer : List.copyOf(viewers)) {
            viewer.end(why);
        }
    }
}
