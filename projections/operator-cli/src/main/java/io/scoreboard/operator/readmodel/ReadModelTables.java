package io.scoreboard.operator.readmodel;

import io.scoreboard.infra.database.ReadModelSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Where the read model's tables are found: the live schema ({@link ReadModelSchema#LIVE}), chosen by
 * the connection's search_path, so that SQL in this CLI names tables unqualified and reads whatever
 * a rebuild switched in. The environment identity is read schema-qualified and is not affected.
 */
public final class ReadModelTables {

    private ReadModelTables() {}

    /** Points unqualified table names of {@code c} at the live read model. */
    public static void use(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET search_path TO " + ReadModelSchema.requireName(ReadModelSchema.LIVE));
        }
    }
}
