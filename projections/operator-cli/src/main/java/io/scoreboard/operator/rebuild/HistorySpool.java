package io.scoreboard.operator.rebuild;

import io.scoreboard.projections.scoreboard.BoardChangeRow;
import io.scoreboard.projections.scoreboard.HistoryRows;
import io.scoreboard.projections.scoreboard.ParticipantChangeRow;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The history rows a rebuild's fold produces ({@code board_changes}, {@code participant_changes}),
 * spooled to two temporary CSV files while folding, then COPYed into the new schema. History grows
 * with events, so it is never held in memory; the files are deleted on close, also after a failure.
 */
final class HistorySpool implements HistoryRows, AutoCloseable {

    private final Path boardFile;
    private final Path participantFile;
    private final OutputStream boardOut;
    private final OutputStream participantOut;
    private final CsvLines boards;
    private final CsvLines participants;
    private long boardRows;
    private long participantRows;
    private boolean finished;

    HistorySpool() throws IOException {
        boardFile = Files.createTempFile("scoreboard-rebuild-board-changes-", ".csv");
        participantFile = Files.createTempFile("scoreboard-rebuild-participant-changes-", ".csv");
        boardOut = Files.newOutputStream(boardFile);
        participantOut = Files.newOutputStream(participantFile);
        boards = CsvLines.into(boardOut);
        participants = CsvLines.into(participantOut);
    }

    @Override
    public void board(BoardChangeRow r) {
        boards.field(r.scoreboardId()).field(r.sequenceNumber()).field(r.position()).field(r.occurredAt())
                .field(r.eventType()).text(r.name()).field(r.scoreOrder()).field(r.ranking()).field(r.deleted())
                .field(r.undoesSequenceNumber()).endRow();
        boardRows++;
    }

    @Override
    public void participant(ParticipantChangeRow r) {
        participants.field(r.scoreboardId()).field(r.participantId()).field(r.sequenceNumber()).field(r.position())
                .field(r.occurredAt()).field(r.eventType())
                .field(r.delta() == null ? null : r.delta().toPlainString()).text(r.reason()).text(r.name())
                .field(r.score().toPlainString()).field(r.scoreReachedPosition()).field(r.removed()).endRow();
        participantRows++;
    }

    long rows() {
        return boardRows + participantRows;
    }

    /** COPYs both files into {@code schema}'s history tables, in the caller's transaction. */
    void copyInto(Connection c, String schema) throws SQLException, IOException {
        finish();
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        copyFile(copy, boardFile, "COPY " + schema + ".board_changes (scoreboard_id, sequence_number, position, "
                + "occurred_at, event_type, name, score_order, ranking, deleted, undoes_sequence_number) "
                + "FROM STDIN (FORMAT csv)");
        copyFile(copy, participantFile, "COPY " + schema + ".participant_changes (scoreboard_id, participant_id, "
                + "sequence_number, position, occurred_at, event_type, delta, reason, name, score, "
                + "score_reached_position, removed) FROM STDIN (FORMAT csv)");
    }

    private static void copyFile(CopyManager copy, Path file, String sql) throws SQLException, IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
            copy.copyIn(sql, in, 1 << 20);
        }
    }

    private void finish() throws SQLException, IOException {
        if (!finished) {
            finished = true;
            boards.close();
            participants.close();
            boardOut.close();
            participantOut.close();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            finish();
        } catch (SQLException ignored) {
            // a failed spool is deleted below either way
        } finally {
            Files.deleteIfExists(boardFile);
            Files.deleteIfExists(participantFile);
        }
    }
}
