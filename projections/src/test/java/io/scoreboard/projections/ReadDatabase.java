package io.scoreboard.projections;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.testsupport.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A migrated read database for one test class, reached as the app role like the services.
 * Declare it as {@code @RegisterExtension static final ReadDatabase db = new ReadDatabase();}: it is
 * created before the class's tests and dropped after them. Engines without Jupiter extensions
 * (jqwik) call {@link #open()} and {@link #close()} themselves.
 */
public final class ReadDatabase implements BeforeAllCallback, AfterAllCallback {

    private TestDatabases databases;

    @Override
    public void beforeAll(ExtensionContext context) {
        open();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    public void open() {
        databases = TestDatabases.create();
    }

    public void close() {
        if (databases != null) {
            databases.close();
            databases = null;
        }
    }

    public Connection connect() throws SQLException {
        return connect("");
    }

    /** A connection with more pgjdbc parameters on its URL, e.g. {@code reWriteBatchedInserts=true}. */
    public Connection connect(String urlParameters) throws SQLException {
        String url = databases.readJdbcUrl() + (urlParameters.isEmpty() ? "" : "&" + urlParameters);
        return DriverManager.getConnection(url, databases.appRole().user(), databases.appRole().password());
    }

    /** The read database as a DataSource (a new connection per call), as the query service's pool hands them out. */
    public javax.sql.DataSource dataSource() {
        org.postgresql.ds.PGSimpleDataSource source = new org.postgresql.ds.PGSimpleDataSource();
        source.setURL(databases.readJdbcUrl());
        source.setUser(databases.appRole().user());
        source.setPassword(databases.appRole().password());
        return source;
    }

    /** One board as the read model holds it, every row (ReadModelRows), or null when it has no such board. */
    public io.scoreboard.projections.scoreboard.BoardRow storedBoard(java.util.UUID scoreboardId) throws SQLException {
        io.scoreboard.projections.scoreboard.BoardRow[] found = {null};
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            io.scoreboard.projections.scoreboard.ReadModelRows.forEach(c, row -> {
                if (row.scoreboardId().equals(scoreboardId)) {
                    found[0] = row;
                }
            });
            c.commit();
        }
        return found[0];
    }

    /** Applies the events in one transaction, as a live batch would, and returns their outcomes. */
    public List<Projection.Outcome> apply(Projection projection, EventEnvelope... events) throws SQLException {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            List<Projection.Outcome> outcomes = new ArrayList<>();
            try {
                Projection.Batch batch = projection.batch(c);
                for (EventEnvelope event : events) {
                    outcomes.add(batch.apply(event));
                }
                batch.finish();
                c.commit();
            } catch (RuntimeException | SQLException e) {
                c.rollback();
                throw e;
            }
            return outcomes;
        }
    }
}
