package io.scoreboard.operator.rebuild;

import io.scoreboard.infra.database.ReadModelSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A bulk load into fresh tables runs faster without their indexes: each index is then built once
 * from sorted data instead of being updated row by row (the history tables take about one row per
 * event, in three indexes). {@link #drop} takes the indexes, primary and foreign keys off the named
 * tables of a new schema, remembering their definitions as the catalogue prints them; {@link #restore} builds
 * them again, in the caller's transaction, before anything reads the tables.
 */
final class DeferredIndexes {

    private final List<String> restore = new ArrayList<>();
    /** Foreign keys go back last: they need the keys they reference, and are checked in one pass then. */
    private final List<String> restoreLast = new ArrayList<>();

    private DeferredIndexes() {}

    static DeferredIndexes drop(Connection c, String schema, List<String> tables) throws SQLException {
        ReadModelSchema.requireName(schema);
        DeferredIndexes deferred = new DeferredIndexes();
        List<String> drops = new ArrayList<>();
        // Foreign keys first: a primary key another table references cannot go while the reference stands,
        // and checking each loaded row against it is what makes a load with them slow.
        for (String table : tables) {
            deferred.restoreLast.addAll(dropConstraints(c, schema + "." + table, 'f', drops));
        }
        for (String table : tables) {
            String qualified = schema + "." + table;
            // Primary keys: dropped as constraints, added again from their printed definition.
            deferred.restore.addAll(dropConstraints(c, qualified, 'p', drops));
            // Other indexes (not backing a constraint): their CREATE INDEX statements name the schema.
            try (PreparedStatement p = c.prepareStatement("""
                    SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x
                      JOIN pg_class i ON i.oid = x.indexrelid
                     WHERE x.indrelid = CAST(? AS regclass)
                       AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)""")) {
                p.setString(1, qualified);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        drops.add("DROP INDEX " + schema + "." + rs.getString(1));
                        deferred.restore.add(rs.getString(2));
                    }
                }
            }
        }
        try (Statement s = c.createStatement()) {
            for (String sql : drops) {
                s.execute(sql);
            }
        }
        return deferred;
    }

    /**
     * Adds to {@code drops} the statements that drop the table's constraints of one kind ({@code f}oreign
     * or {@code p}rimary key) and returns the statements that add them again.
     */
    private static List<String> dropConstraints(Connection c, String qualified, char kind, List<String> drops)
            throws SQLException {
        List<String> restore = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                + "WHERE conrelid = CAST(? AS regclass) AND contype = CAST(? AS \"char\")")) {
            p.setString(1, qualified);
            p.setString(2, String.valueOf(kind));
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    drops.add("ALTER TABLE " + qualified + " DROP CONSTRAINT " + rs.getString(1));
                    restore.add("ALTER TABLE " + qualified + " ADD CONSTRAINT " + rs.getString(1) + " " + rs.getString(2));
                }
            }
        }
        return restore;
    }

    /** Builds every dropped index and key again (a duplicate key fails here, loudly). */
    void restore(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET LOCAL maintenance_work_mem = '256MB'");
            for (String sql : restore) {
                s.execute(sql);
            }
            for (String sql : restoreLast) {
                s.execute(sql);
            }
        }
    }

    int count() {
        return restore.size() + restoreLast.size();
    }
}
