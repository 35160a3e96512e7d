package io.scoreboard.projections;

import java.sql.SQLException;

/**
 * A database error from writes that were queued and sent together: it names the events whose rows
 * were sent, since they may be earlier events than the one being applied when the queue went out.
 * A batch of one row names its event exactly ({@link #pinpointed()}); for more, the database does not
 * say which row failed (the transaction is aborted), and a caller that must know applies the events
 * again one at a time. Keeps the cause's SQLState, so data-rule violations still tell from outages.
 */
public class QueuedWriteException extends SQLException {

    private final String event;
    private final boolean pinpointed;

    public QueuedWriteException(String event, boolean pinpointed, SQLException cause) {
        super(cause.getMessage(), cause.getSQLState(), cause.getErrorCode(), cause);
        this.event = event;
        this.pinpointed = pinpointed;
    }

    /** The event whose row failed, or the range of events whose rows were sent together. */
    public String event() {
        return event;
    }

    /** Whether {@link #event()} is the one event whose row failed. */
    public boolean pinpointed() {
        return pinpointed;
    }
}
