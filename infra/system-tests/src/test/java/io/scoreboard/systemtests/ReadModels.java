package io.scoreboard.systemtests;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.projections.scoreboard.BoardRow;
import io.scoreboard.projections.scoreboard.ReadModelRows;
import io.scoreboard.projections.scoreboard.ScoreboardReader;
import io.scoreboard.projections.scoreboard.ScoreboardRecomputation;
import io.scoreboard.projections.scoreboard.ScoreboardView;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/** The read model as stored, and as a fresh recomputation from the topic says it should be. */
final class ReadModels {

    private ReadModels() {}

    /** Every board of a read-model schema, read as the owner role. */
    static Map<UUID, BoardRow> stored(RunningSystem system, String schema) throws SQLException {
        Map<UUID, BoardRow> rows = new HashMap<>();
        try (Connection c = owner(system)) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL search_path = " + schema);
            }
            ReadModelRows.forEach(c, r -> rows.put(r.scoreboardId(), r));
            c.commit();
        }
        return rows;
    }

    /** One board of a read-model schema, ranked as the query service ranks it. */
    static ScoreboardView view(RunningSystem system, String schema, UUID board) throws SQLException {
        try (Connection c = owner(system)) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL search_path = " + schema);
            }
            ScoreboardView view = new ScoreboardReader().find(c, board)
                    .orElseThrow(() -> new AssertionError("board " + board + " is not in schema " + schema));
            c.commit();
            return view;
        }
    }

    /** The boards a fresh fold of the whole topic gives, keeping the events {@code included} accepts. */
    static Map<UUID, BoardRow> recomputedFromTopic(RunningSystem system, Predicate<EventEnvelope> included) {
        ScoreboardRecomputation model = new ScoreboardRecomputation();
        List<EventEnvelope> records = TwoStores.readTopic(system);
        records.stream().filter(included).forEach(model::apply);
        return new LinkedHashMap<>(model.boards());
    }

    static Map<UUID, BoardRow> recomputedFromTopic(RunningSystem system) {
        return recomputedFromTopic(system, e -> true);
    }

    /** Waits until the live read model has applied everything in the topic, then returns it. */
    static Map<UUID, BoardRow> awaitLiveEquals(RunningSystem system, Map<UUID, BoardRow> expected, Duration timeout)
            throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<UUID, BoardRow> live = stored(system, "read_model");
        while (!live.equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            live = stored(system, "read_model");
        }
        return live;
    }

    /** Read-model schemas of the read database, e.g. read_model, read_model_retired_…, read_model_asof_…. */
    static List<String> schemas(RunningSystem system) throws SQLException {
        List<String> names = new java.util.ArrayList<>();
        try (Connection c = owner(system); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'read\\_model%' "
                     + "ORDER BY nspname")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    static Connection owner(RunningSystem system) throws SQLException {
        return DriverManager.getConnection(system.databases.server().jdbcUrl(system.databases.readDatabase()),
                system.databases.ownerRole().user(), system.databases.ownerRole().password());
    }

    static boolean atOrBefore(EventEnvelope e, Instant t) {
        return !e.occurredAt().isAfter(t);
    }
}
