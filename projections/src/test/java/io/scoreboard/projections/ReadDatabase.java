package io.scoreboard.projections;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.testsupport.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** A migrated read database for one test class, reached as the app role like the services. */
public final class ReadDatabase implements AutoCloseable {

    private final TestDatabases databases = TestDatabases.create();

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(databases.readJdbcUrl(), databases.appRole().user(),
                databases.appRole().password());
    }

    /** Applies the events in one transaction, as a live batch would, and returns their outcomes. */
    public List<Projection.Outcome> apply(Projection projection, EventEnvelope... events) throws SQLException {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            List<Projection.Outcome> outcomes = new ArrayList<>();
            try {
                for (EventEnvelope event : events) {
                    outcomes.add(projection.apply(c, event));
                }
                c.commit();
            } catch (RuntimeException | SQLException e) {
                c.rollback();
                throw e;
            }
            return outcomes;
        }
    }

    @Override
    public void close() {
        databases.close();
    }
}
