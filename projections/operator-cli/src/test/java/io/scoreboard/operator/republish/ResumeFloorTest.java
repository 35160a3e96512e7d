package io.scoreboard.operator.republish;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.EventJson;
import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.operator.source.StoredEvents;
import io.scoreboard.projections.BoardEvents;
import io.scoreboard.startup.ReplicatorToken;
import io.scoreboard.testsupport.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where republish reads on after PostgreSQL dropped its snapshot: never past a position that was still
 * being written when the snapshot was taken, so a late commit is sent before its board's next events.
 */
class ResumeFloorTest {

    private TestDatabases databases;

    @BeforeEach
    void store() {
        databases = TestDatabases.create();
    }

    @AfterEach
    void drop() {
        databases.close();
    }

    @Test
    void aTransactionStillWritingAtTheSnapshot_bringsTheFloorDownToItsPosition_andTheNextSnapshotHasIt() throws Exception {
        BoardEvents board = new BoardEvents();
        BoardEvents other = new BoardEvents();
        long first = insert(StoredHistory.owner(databases), board.created("Late", ScoreOrder.HIGHEST_FIRST,
                Ranking.STANDARD));
        insert(StoredHistory.owner(databases), board.added("Ann"));
        long covered = insert(StoredHistory.owner(databases), other.created("Other", ScoreOrder.HIGHEST_FIRST,
                Ranking.STANDARD));
        try (Connection writer = StoredHistory.owner(databases)) {
            writer.setAutoCommit(false);
            long late = insert(writer, board.added("Bob"));          // still being written …
            long after = insert(StoredHistory.owner(databases), other.added("Zed")); // … while a later one commits

            long floor;
            List<Long> seen = new ArrayList<>();
            try (Connection snapshot = StoredHistory.owner(databases)) {
                StoredEvents.beginSnapshot(snapshot);
                StoredEvents.forEach(snapshot, 0, e -> seen.add(e.position()));
                floor = ResumeFloor.of(snapshot, new ReplicatorToken.Coverage(covered, List.of()));
                snapshot.rollback();
            }
            assertThat(seen).containsExactly(first, first + 1, covered, after).doesNotContain(late);
            assertThat(floor).isEqualTo(late);

            writer.commit(); // the late one commits; a republish reading on from floor - 1 sends it, in order
            List<Long> next = new ArrayList<>();
            try (Connection snapshot = StoredHistory.owner(databases)) {
                StoredEvents.beginSnapshot(snapshot);
                StoredEvents.forEach(snapshot, floor - 1, e -> next.add(e.position()));
                snapshot.rollback();
            }
            assertThat(next).containsExactly(late, after);
        }
    }

    @Test
    void withoutHoles_theFloorIsPastTheSnapshot_andAGapOfTheReplicatorStillBounds_it() throws Exception {
        BoardEvents board = new BoardEvents();
        insert(StoredHistory.owner(databases), board.created("Whole", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD));
        long second = insert(StoredHistory.owner(databases), board.added("Ann"));
        long last = insert(StoredHistory.owner(databases), board.added("Bob"));

        try (Connection snapshot = StoredHistory.owner(databases)) {
            StoredEvents.beginSnapshot(snapshot);
            assertThat(ResumeFloor.of(snapshot, new ReplicatorToken.Coverage(second, List.of()))).isEqualTo(last + 1);
            assertThat(ResumeFloor.of(snapshot, new ReplicatorToken.Coverage(last, List.of(second))))
                    .as("a gap the replicator was still waiting for").isEqualTo(second);
            snapshot.rollback();
        }
    }

    /** Stores one event on {@code c} (closing it when it commits by itself) and returns its position. */
    private static long insert(Connection c, EventEnvelope e) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("""
                INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type,
                                                time_stamp, payload_type, payload_revision, payload)
                VALUES (?, ?, ?, 'Scoreboard', ?, ?, ?, ?) RETURNING global_index""")) {
            p.setString(1, e.eventId().toString());
            p.setString(2, e.scoreboardId().toString());
            p.setLong(3, e.sequenceNumber());
            p.setString(4, e.occurredAt().toString());
            p.setString(5, e.type());
            p.setString(6, Integer.toString(e.typeVersion()));
            p.setBytes(7, EventJson.writePayload(e.payload()));
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } finally {
            if (c.getAutoCommit()) {
                c.close();
            }
        }
    }
}
