package io.scoreboard.query.projection;

import io.scoreboard.query.projection.ProjectionRunner.DatabaseUnavailable;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/**
 * What a database error means to the projection runner (docs/adr/0018), by its SQLState: a fault of the
 * database's, waited out, or a data rule an event's content broke, which may make the event a bad one.
 * One place for the codes, so the policy can be read (and tested) apart from the loop that follows it.
 */
final class SqlFaults {

    private SqlFaults() {
    }

    /**
     * Transient: conditions that pass, or that an operator or the database fixes without touching
     * this process (unreachable, restarting, recreated, not yet migrated, timed out, in conflict).
     * Documents the fault policy (docs/adr/0018); the runner waits out every database fault outside a
     * data rule anyway, these are the ones expected.
     */
    static boolean isTransient(SQLException e) {
        if (e instanceof SQLTransientException || e instanceof SQLRecoverableException) {
            return true;
        }
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") // connection exception
                || state.startsWith("57P")               // admin shutdown, crash shutdown, cannot connect now
                || state.equals("57014")                 // statement_timeout, or a cancelled statement
                || state.equals("55P03")                 // lock_timeout (lock not available)
                || state.startsWith("53")                // insufficient resources
                || state.equals("40001") || state.equals("40P01") // serialization failure, deadlock
                || state.equals("25006")                 // read-only transaction: a standby, during a failover
                || state.equals("3D000")                 // the database does not exist (dropped)
                || state.equals("3F000")                 // the read model's schema does not exist
                || state.equals("42P01")                 // a read-model table does not exist (not migrated yet)
                || state.equals("42703"));               // a column is missing: caught between two migrations
                                                         // of a recreated read model (each commits on its own)
    }

    /**
     * Errors an event's content can cause: a value out of range or malformed (class 22), a broken
     * constraint (23), a value too large (54). Everything else is the database's state, not the event's.
     */
    static boolean breaksADataRule(SQLException e) {
        String state = e.getSQLState();
        return !isTransient(e) && state != null
                && (state.startsWith("22") || state.startsWith("23") || state.startsWith("54"));
    }

    /** The error's message, led by its SQLState when it has one. */
    static String message(SQLException e) {
        return (e.getSQLState() != null ? "SQLSTATE " + e.getSQLState() + ": " : "") + e.getMessage();
    }

    /** Outside an event, every database failure is the database's: waited out, never a stop. */
    static RuntimeException databaseFailure(String what, SQLException e) {
        return new DatabaseUnavailable(what + ": " + message(e), e);
    }
}
