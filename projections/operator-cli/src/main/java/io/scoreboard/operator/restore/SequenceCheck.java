package io.scoreboard.operator.restore;

import io.scoreboard.operator.cli.OperatorException;
import io.scoreboard.startup.EventStoreTables;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Before the restore commits: every board's sequence numbers run 0, 1, 2, … without a hole. A hole
 * means the topic lacks events (a board cannot be loaded past it, and a new event would take the
 * missing number), so the restore is refused and rolled back. Two events with one (board,
 * sequence) never get this far: the table's unique constraint stops the COPY.
 */
final class SequenceCheck {

    private static final int SHOWN = 10;

    /** Each row: a board, the first missing sequence number, and the next one present. */
    private static final String HOLES = """
            SELECT aggregate_identifier, expected, sequence_number, count(*) OVER () AS holes
              FROM (SELECT aggregate_identifier, sequence_number,
                           lag(sequence_number, 1, -1::bigint)
                               OVER (PARTITION BY aggregate_identifier ORDER BY sequence_number) + 1 AS expected
                      FROM %s) numbered
             WHERE sequence_number <> expected
             ORDER BY aggregate_identifier, sequence_number
             LIMIT %d""".formatted(EventStoreTables.EVENTS, SHOWN);

    private SequenceCheck() {}

    /** @return the number of boards restored */
    static long requireComplete(Connection c) throws SQLException {
        List<String> shown = new ArrayList<>();
        long holes = 0;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(HOLES)) {
            while (rs.next()) {
                long first = rs.getLong(2);
                long next = rs.getLong(3);
                shown.add("board " + rs.getString(1) + " lacks sequence number"
                        + (next - first == 1 ? " " + first : "s " + first + "–" + (next - 1)));
                holes = rs.getLong(4);
            }
        }
        if (holes > 0) {
            throw OperatorException.refused("the topic is missing events: " + holes + " hole(s) in boards' sequence "
                    + "numbers, e.g. " + String.join("; ", shown) + ". Nothing was written.",
                    "check that --topic names the complete event topic; if events are lost from it, restore from a "
                            + "backup of the event store database instead");
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(DISTINCT aggregate_identifier) FROM "
                     + EventStoreTables.EVENTS)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
