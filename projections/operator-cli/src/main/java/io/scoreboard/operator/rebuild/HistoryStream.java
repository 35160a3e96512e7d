package io.scoreboard.operator.rebuild;

import io.scoreboard.infra.database.ReadModelSchema;
import io.scoreboard.projections.scoreboard.BoardChangeRow;
import io.scoreboard.projections.scoreboard.BoardEventRow;
import io.scoreboard.projections.scoreboard.HistoryRows;
import io.scoreboard.projections.scoreboard.ParticipantChangeRow;
import io.scoreboard.projections.scoreboard.TeamChangeRow;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Supplier;
import org.postgresql.PGConnection;

/**
 * The history rows a rebuild's fold produces ({@code board_changes}, {@code participant_changes},
 * {@code team_changes}, {@code board_events}),
 * COPYed into the new schema <em>while</em> the fold runs: each table on its own connection, in its own
 * transaction, with its indexes dropped until the load is done ({@link DeferredIndexes}). The fold
 * thread only formats rows and hands them to the socket in 1 MB chunks; PostgreSQL parses and stores
 * them on the other core. Spooling to a file and loading it afterwards took as long as the fold itself
 * (BENCHMARKS.md). History grows with events, so it is never held in memory.
 *
 * <p>{@link #finish} ends the loads, builds the indexes and commits; {@link #close} without it cancels
 * the loads and rolls them back, leaving the tables empty.
 */
final class HistoryStream implements HistoryRows, AutoCloseable {

    private final Load boards;
    private final Load participants;
    private final Load teams;
    private final Load events;

    /** @param connections opens a connection to the read database (four are taken) */
    HistoryStream(Supplier<Connection> connections, String schema) throws SQLException {
        ReadModelSchema.requireName(schema);
        List<Load> opened = new java.util.ArrayList<>(4);
        try {
            opened.add(new Load(connections.get(), schema, "board_changes", "scoreboard_id, sequence_number, "
                    + "position, occurred_at, event_type, name, score_order, ranking, deleted, undoes_sequence_number, "
                    + "token_id"));
            opened.add(new Load(connections.get(), schema, "participant_changes", "scoreboard_id, participant_id, "
                    + "sequence_number, position, occurred_at, event_type, delta, reason, name, score, "
                    + "score_reached_position, removed, token_id, team_id"));
            // Few rows (team events are rare); an idle COPY costs a connection, nothing on boards without teams.
            opened.add(new Load(connections.get(), schema, "team_changes", "scoreboard_id, team_id, sequence_number, "
                    + "position, occurred_at, event_type, name, removed, token_id"));
            opened.add(new Load(connections.get(), schema, "board_events", "scoreboard_id, sequence_number, position, "
                    + "line"));
        } catch (SQLException | RuntimeException e) {
            closeAll(opened, 0);
            throw e;
        }
        boards = opened.get(0);
        participants = opened.get(1);
        teams = opened.get(2);
        events = opened.get(3);
    }

    @Override
    public void board(BoardChangeRow r) {
        boards.rows.field(r.scoreboardId()).field(r.sequenceNumber()).field(r.position()).field(r.occurredAt())
                .field(r.eventType()).text(r.name()).field(r.scoreOrder()).field(r.ranking()).field(r.deleted())
                .field(r.undoesSequenceNumber()).field(r.tokenId()).endRow();
        boards.count++;
    }

    @Override
    public void participant(ParticipantChangeRow r) {
        participants.rows.field(r.scoreboardId()).field(r.participantId()).field(r.sequenceNumber())
                .field(r.position()).field(r.occurredAt()).field(r.eventType())
                .field(r.delta() == null ? null : r.delta().toPlainString()).text(r.reason()).text(r.name())
                .field(r.score().toPlainString()).field(r.scoreReachedPosition()).field(r.removed())
                .field(r.tokenId()).field(r.teamId()).endRow();
        participants.count++;
    }

    @Override
    public void team(TeamChangeRow r) {
        teams.rows.field(r.scoreboardId()).field(r.teamId()).field(r.sequenceNumber()).field(r.position())
                .field(r.occurredAt()).field(r.eventType()).text(r.name()).field(r.removed()).field(r.tokenId())
                .endRow();
        teams.count++;
    }

    @Override
    public void event(BoardEventRow r) {
        events.rows.field(r.scoreboardId()).field(r.sequenceNumber()).field(r.position()).text(r.line()).endRow();
        events.count++;
    }

    long rows() {
        return boards.count + participants.count + teams.count + events.count;
    }

    /** Ends the loads, builds their indexes and commits them. */
    void finish() throws SQLException {
        boards.finish();
        participants.finish();
        teams.finish();
        events.finish();
    }

    @Override
    public void close() throws SQLException {
        closeAll(List.of(boards, participants, teams, events), 0);
    }

    /** Closes every load from {@code from} on, even when one of them fails (a failure is thrown once all were tried). */
    private static void closeAll(List<Load> loads, int from) throws SQLException {
        if (from >= loads.size()) {
            return;
        }
        try {
            loads.get(from).close();
        } finally {
            closeAll(loads, from + 1);
        }
    }

    /** One table's load: its connection, transaction, dropped indexes and running COPY. */
    private static final class Load {
        private final Connection connection;
        private final DeferredIndexes indexes;
        private final CopyLines rows;
        private long count;
        private boolean finished;

        Load(Connection connection, String schema, String table, String columns) throws SQLException {
            this.connection = connection;
            try {
                connection.setAutoCommit(false);
                indexes = DeferredIndexes.drop(connection, schema, List.of(table));
                // The text format: history rows carry free text (names, reasons, the export lines' JSON), which CSV
                // would quote and double (CopyLines).
                rows = CopyLines.into(connection.unwrap(PGConnection.class).getCopyAPI()
                        .copyIn(CopyLines.Format.TEXT.statement(schema + "." + table, columns)), CopyLines.Format.TEXT);
            } catch (SQLException | RuntimeException e) {
                connection.close();
                throw e;
            }
        }

        void finish() throws SQLException {
            rows.close();
            indexes.restore(connection);
            connection.commit();
            finished = true;
        }

        void close() throws SQLException {
            try {
                if (!finished) {
                    rows.abort();
                    connection.rollback();
                }
            } finally {
                connection.close();
            }
        }
    }
}
