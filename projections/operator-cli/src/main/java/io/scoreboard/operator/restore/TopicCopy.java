package io.scoreboard.operator.restore;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.operator.cli.OperatorException;
import io.scoreboard.operator.cli.Progress;
import io.scoreboard.operator.source.TopicEvents;
import io.scoreboard.startup.EventStoreTables;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.util.PSQLException;

/**
 * Streams the topic into {@code domain_event_entry} with one COPY, each event once: the first copy
 * of an event id is written, later identical copies are skipped, a later copy that differs stops
 * the restore. Memory stays flat: rows go out in batches of about a megabyte, and only event ids
 * with a fingerprint are kept. The database's own constraints catch two events claiming one
 * position or one (board, sequence number).
 */
final class TopicCopy {

    private static final int BATCH_BYTES = 1 << 20;
    private static final String UNIQUE_VIOLATION = "23505";

    /**
     * @param records      records read, duplicates included
     * @param events       distinct events written
     * @param lastPosition highest position written
     */
    record Tally(long records, long events, long lastPosition) {}

    private TopicCopy() {}

    /** Runs inside the caller's transaction; on any failure nothing it wrote survives a rollback. */
    static Tally copy(Connection connection, TopicEvents topic, TopicExtent extent, Progress progress)
            throws Exception {
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("COPY " + EventStoreTables.EVENTS + " (" + EventRow.COLUMNS + ") FROM STDIN");
        SeenEvents seen = new SeenEvents(extent.records());
        CopyBuffer rows = new CopyBuffer(copy, BATCH_BYTES);
        long[] recordsAndLast = {0, 0};
        try {
            topic.read(extent.from(), extent.to(), (partition, offset, event) -> {
                recordsAndLast[0]++;
                EventRow row = new EventRow(event);
                switch (seen.add(event.eventId(), row.fingerprint())) {
                    case FIRST -> {
                        row.write(rows);
                        recordsAndLast[1] = Math.max(recordsAndLast[1], event.position());
                    }
                    case SAME_COPY -> { } // the replicator sent it again: at-least-once
                    case DIFFERENT_COPY -> throw differentCopy(topic, partition, offset, event);
                }
                progress.advance(1);
            });
            rows.flush();
            copy.endCopy();
        } catch (SQLException e) {
            throw conflict(e);
        } finally {
            cancelIfActive(copy);
        }
        progress.finish();
        return new Tally(recordsAndLast[0], seen.size(), recordsAndLast[1]);
    }

    private static void cancelIfActive(CopyIn copy) {
        if (copy.isActive()) {
            try {
                copy.cancelCopy();
            } catch (SQLException alreadyFailing) {
                // the failure that brought us here is the one to report; the caller rolls back
            }
        }
    }

    private static OperatorException differentCopy(TopicEvents topic, int partition, long offset, EventEnvelope e) {
        return OperatorException.refused("record " + topic.topic() + "-" + partition + "@" + offset + " is a second "
                + "copy of event " + e.eventId() + " (board " + e.scoreboardId() + ", sequence " + e.sequenceNumber()
                + ") that differs from the first copy: the topic does not hold one consistent history. Nothing was "
                + "written.", "find out what else writes to this topic (only the command service's replicator "
                + "should); restore from a backup of the event store database if the topic cannot be trusted");
    }

    /** Two distinct events for one position or one (board, sequence): the topic contradicts itself. */
    private static Exception conflict(SQLException e) {
        if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
            String detail = e instanceof PSQLException p && p.getServerErrorMessage() != null
                    ? p.getServerErrorMessage().getDetail() : e.getMessage();
            return OperatorException.refused("two different events in the topic claim the same place in the history ("
                    + detail + "). Nothing was written.", "find out what else writes to this topic (only the "
                    + "command service's replicator should); restore from a backup of the event store database if "
                    + "the topic cannot be trusted");
        }
        return e;
    }
}
