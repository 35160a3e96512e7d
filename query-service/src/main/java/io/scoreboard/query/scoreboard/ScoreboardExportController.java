package io.scoreboard.query.scoreboard;

import io.scoreboard.projections.scoreboard.RankedParticipant;
import io.scoreboard.projections.scoreboard.BoardEventsExport;
import io.scoreboard.projections.scoreboard.ScoreHistoryExport;
import io.scoreboard.projections.scoreboard.ScoreHistoryReader;
import io.scoreboard.projections.scoreboard.ScoreboardView;
import io.scoreboard.query.projection.ProjectionBehindException;
import io.scoreboard.query.web.ProjectionPositionFilter;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A board's standings and its score history as CSV downloads ({@link CsvWriter} says how fields are
 * escaped). Every refusal (bad parameter, unknown or deleted board, unknown participant, projection
 * behind) is decided before the first byte, so it is an ordinary problem+json answer.
 *
 * <p>The rows are written straight to the servlet output stream on the request thread, not through a
 * {@code StreamingResponseBody}: no async request timeout cuts a long export short. The history is read
 * in chunks, each on a connection borrowed for one statement ({@link ScoreHistoryExport}, docs/adr/0025):
 * a client that reads slowly, or never, holds no connection and no snapshot. Each export in progress
 * holds one request thread until its client has read it all, so {@link ExportSlots} bounds how many run
 * at once: beyond, 503 before anything is read.
 */
@RestController
@RequestMapping("/api/v1/scoreboards")
class ScoreboardExportController {

    private static final Logger log = LoggerFactory.getLogger(ScoreboardExportController.class);

    static final String TEXT_CSV_UTF8 = "text/csv; charset=utf-8";

    private static final String EXPORTS_BUSY = "As many exports as this instance runs at once are in progress "
            + "(scoreboard.query.exports.max-concurrent, default 4): problem+json with code EXPORTS_BUSY and "
            + "Retry-After; nothing was read. Also 503 when minPosition was not reached in time.";

    /** Characters formatted before they go to the container's own (smaller) response buffer. */
    private static final int WRITE_BUFFER = 16 * 1024;

    private final ScoreboardQueries queries;
    private final DataSource dataSource;
    private final ExportSlots slots;
    /** Suggested when the read model lost the board's history during an export (a rebuild). */
    private final Duration retryAfter;
    private final ScoreHistoryReader historyReader = new ScoreHistoryReader();
    private final ScoreHistoryExport historyExport = new ScoreHistoryExport();
    private final BoardEventsExport eventsExport = new BoardEventsExport();

    static final String NDJSON_UTF8 = "application/x-ndjson; charset=utf-8";

    ScoreboardExportController(ScoreboardQueries queries, DataSource dataSource, ExportSlots slots,
                               ExportProperties properties) {
        this.queries = queries;
        this.dataSource = dataSource;
        this.slots = slots;
        this.retryAfter = properties.retryAfter();
    }

    @GetMapping("/{scoreboardId}/export.csv")
    @Operation(summary = "The standings as CSV",
            description = "Header row, then one row per current participant in rank order (as the board endpoint "
                    + "lists them): rank, participant_id, name, score, scoreboard_id, scoreboard_name, score_order, "
                    + "ranking, version, team_id, team_name (empty when the participant has no team). RFC 4180 with CRLF, UTF-8 without BOM; user text starting with = + - @ "
                    + "TAB CR or ' gets a leading ' against formula injection.")
    @ApiResponse(responseCode = "200", description = "CSV attachment scoreboard-<id>.csv",
            content = @Content(mediaType = "text/csv", schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "503", description = EXPORTS_BUSY)
    void standings(@PathVariable UUID scoreboardId,
                   @RequestParam(required = false) Long minPosition,
                   HttpServletResponse response) throws SQLException, IOException {
        try (ExportSlots.Slot slot = slots.take()) {
            var answer = queries.find(scoreboardId, minPosition);
            ScoreboardView board = answer.result();
            startCsv(response, answer.projectionPosition(), "scoreboard-" + scoreboardId + ".csv");
            writeCsv(response, "standings export of scoreboard " + scoreboardId, csv -> {
                csv.row("rank", "participant_id", "name", "score", "scoreboard_id", "scoreboard_name", "score_order",
                        "ranking", "version", "team_id", "team_name");
                Map<UUID, String> teamNames = new HashMap<>();
                board.teams().forEach(team -> teamNames.put(team.teamId(), team.name()));
                for (RankedParticipant participant : board.participants()) {
                    csv.value(participant.rank()).value(participant.participantId()).text(participant.name())
                            .number(participant.score()).value(board.scoreboardId()).text(board.name())
                            .value(board.scoreOrder()).value(board.ranking()).value(board.version())
                            .value(participant.teamId()).text(teamNames.get(participant.teamId()))
                            .endRow();
                }
            });
        }
    }

    @GetMapping("/{scoreboardId}/history/export.csv")
    @Operation(summary = "Every score change as CSV, oldest first",
            description = "Header row, then one row per participant per score change (a round or an undo gives "
                    + "a row per participant it changed), oldest first (by position, within an event by "
                    + "participant id): time, sequence_number, position, participant_id, participant_name (at "
                    + "the time), type (ScoreChanged, RoundRecorded, ScoreChangeUndone), delta, score_after, "
                    + "reason, undone, undoes_sequence_number. Streamed from a database cursor: the download "
                    + "starts at once whatever the history's size.")
    @ApiResponse(responseCode = "200", description = "CSV attachment scoreboard-<id>-history.csv",
            content = @Content(mediaType = "text/csv", schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "503", description = EXPORTS_BUSY)
    void history(@PathVariable UUID scoreboardId,
                 @RequestParam(required = false) @Parameter(description = "only this participant's changes "
                         + "(also a removed participant's)") UUID participantId,
                 @RequestParam(required = false) @Parameter(description = "only changes that occurred at or "
                         + "after this instant", schema = @Schema(type = "string", format = "date-time"))
                 String from,
                 @RequestParam(required = false) @Parameter(description = "only changes that occurred before "
                         + "this instant", schema = @Schema(type = "string", format = "date-time"))
                 String to,
                 @RequestParam(required = false) Long minPosition,
                 HttpServletResponse response) throws SQLException, IOException {
        try (ExportSlots.Slot slot = slots.take()) {
            writeHistory(scoreboardId, participantId, from, to, minPosition, response);
        }
    }

    private void writeHistory(UUID scoreboardId, UUID participantId, String from, String to, Long minPosition,
                              HttpServletResponse response) throws SQLException, IOException {
        Instant since = ScopeParameters.instant("from", from);
        Instant until = ScopeParameters.instant("to", to);
        if (since != null && until != null && since.isAfter(until)) {
            throw new InvalidQueryParameterException("from must not be after to, got from='" + from + "' and to='"
                    + to + "'");
        }
        // The same read-your-writes wait and the same 404 for an unknown or deleted board as every board endpoint,
        // without ranking the board: the history export needs none of its standings. The export runs up to the
        // position the board stands at now, in chunks that hold no connection while the client reads.
        var header = queries.header(scoreboardId, minPosition);
        long projectionPosition = header.projectionPosition();
        long upTo = header.result().lastPosition();
        if (participantId != null) {
            boolean onBoard;
            try (Connection connection = dataSource.getConnection()) {
                onBoard = historyReader.everOnBoard(connection, scoreboardId, participantId);
            }
            if (!onBoard) {
                throw new ParticipantNotFoundException("participantId " + participantId
                        + " names no participant that was ever on scoreboard " + scoreboardId, projectionPosition);
            }
        }
        startCsv(response, projectionPosition, "scoreboard-" + scoreboardId + "-history.csv");
        writeCsv(response, "history export of scoreboard " + scoreboardId, csv -> {
            csv.row("time", "sequence_number", "position", "participant_id", "participant_name", "type",
                    "delta", "score_after", "reason", "undone", "undoes_sequence_number", "token_id", "token_label");
            historyExport.forEachChange(dataSource, scoreboardId, upTo, participantId, since, until, change ->
                    csv.value(change.time()).value(change.sequenceNumber()).value(change.position())
                            .value(change.participantId()).text(change.participantName())
                            .value(change.type()).number(change.delta()).number(change.scoreAfter())
                            .text(change.reason()).value(change.undone())
                            .value(change.undoesSequenceNumber())
                            .value(change.tokenId()).text(change.tokenLabel())
                            .endRow());
        });
    }

    @GetMapping("/{scoreboardId}/events.ndjson")
    @Operation(summary = "Every event of the board as NDJSON, oldest first: the user's own copy of its history",
            description = "One JSON object per line (LF), one line per event of the board up to its version when the "
                    + "download began: the envelope as the event topic publishes it (eventId, scoreboardId, "
                    + "sequenceNumber, position, occurredAt, type, typeVersion, payload), without token hashes. "
                    + "Streamed in chunks: the download starts at once and the service's memory does not grow "
                    + "with the history. A private board needs one of its tokens.")
    @ApiResponse(responseCode = "200", description = "NDJSON attachment scoreboard-<id>-events.ndjson",
            content = @Content(mediaType = "application/x-ndjson", schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "503", description = EXPORTS_BUSY)
    void events(@PathVariable UUID scoreboardId, @RequestParam(required = false) Long minPosition,
                HttpServletResponse response) throws SQLException, IOException {
        try (ExportSlots.Slot slot = slots.take()) {
            // The same read-your-writes wait and the same 404 (unknown, deleted, private without a token) as every read.
            var header = queries.header(scoreboardId, minPosition);
            long upTo = header.result().version();
            ProjectionPositionFilter.stamp(response, header.projectionPosition());
            response.setContentType(NDJSON_UTF8);
            response.setHeader(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                    .filename("scoreboard-" + scoreboardId + "-events.ndjson").build().toString());
            writeBody(response, "event export of scoreboard " + scoreboardId, writer ->
                    eventsExport.forEachLine(dataSource, scoreboardId, upTo, line -> {
                        writer.write(line);
                        writer.write('\n');
                    }));
        }
    }

    private static void startCsv(HttpServletResponse response, long projectionPosition, String fileName) {
        ProjectionPositionFilter.stamp(response, projectionPosition);
        response.setContentType(TEXT_CSV_UTF8);
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION,
                ContentDisposition.attachment().filename(fileName).build().toString());
    }

    @FunctionalInterface
    private interface CsvBody {
        void write(CsvWriter csv) throws IOException, SQLException;
    }

    /**
     * Writes the body as it is produced; the container sends it on whenever its buffer fills. A failure
     * before anything was sent still becomes a problem+json answer; after that only cutting the
     * connection can tell the client (ExportInterruptedException).
     */
    private void writeCsv(HttpServletResponse response, String what, CsvBody body)
            throws IOException, SQLException {
        writeBody(response, what, writer -> body.write(new CsvWriter(writer)));
    }

    @FunctionalInterface
    private interface Body {
        void write(Writer writer) throws IOException, SQLException;
    }

    /** The streaming and failure rules of every export (see {@link #writeCsv}), for any text body. */
    private void writeBody(HttpServletResponse response, String what, Body body) throws IOException, SQLException {
        try {
            Writer writer = new BufferedWriter(new OutputStreamWriter(response.getOutputStream(),
                    StandardCharsets.UTF_8), WRITE_BUFFER);
            body.write(writer);
            writer.flush();
        } catch (IOException | SQLException | RuntimeException e) {
            if (!response.isCommitted()) {
                String position = response.getHeader(ProjectionPositionFilter.HEADER);
                response.reset(); // no attachment header or CSV type on the problem
                if (position != null) {
                    response.setHeader(ProjectionPositionFilter.HEADER, position);
                }
                if (e instanceof ScoreHistoryExport.HistoryMovedException moved) {
                    throw new ProjectionBehindException(moved.getMessage(), retryAfter, moved);
                }
                throw e;
            }
            if (e instanceof IOException) {
                // Writing to the client failed: it went away. Nobody is left to tell.
                log.info("{} stopped: the client is gone ({})", what, e.toString());
                return;
            }
            log.error("{} failed after the response had started; cutting the connection", what, e);
            throw new ExportInterruptedException(what + " failed after the response had started", e);
        }
    }
}
