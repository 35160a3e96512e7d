package io.scoreboard.command.scoreboard.api;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.http.MediaType;
import io.scoreboard.command.scoreboard.Access;
import io.scoreboard.command.scoreboard.CommandOutcome;
import io.scoreboard.command.scoreboard.CommandRejectedException;
import io.scoreboard.command.scoreboard.ErrorCode;
import io.scoreboard.command.scoreboard.ScoreboardCommands.ChangeScoreCommand;
import io.scoreboard.command.scoreboard.ScoreboardCommands.RecordRoundCommand;
import io.scoreboard.command.scoreboard.ScoreboardCommands.SetScoreCommand;
import io.scoreboard.command.scoreboard.ScoreboardCommands.UndoCommand;
import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Scoring: change by a delta, set, record a round, undo (admin or scorekeeper token). */
@RestController
@RequestMapping("/api/v1/scoreboards/{scoreboardId}")
public class ScoringCommandController {

    private final CommandGateway commands;
    private final CommandExecution execution;

    public ScoringCommandController(CommandGateway commands, CommandExecution execution) {
        this.commands = commands;
        this.execution = execution;
    }

    public record ScoreChangeRequest(BigDecimal delta, String reason) {}

    public record SetScoreRequest(BigDecimal score, String reason) {}

    public record ScoreResponse(BigDecimal score, long version, long position) {}

    public record RoundRequest(String comment, Map<UUID, BigDecimal> deltas) {}

    public record ScoresResponse(Map<UUID, BigDecimal> scores, long version, long position) {}

    public record UndoResponse(long undoneSequenceNumber, Map<UUID, BigDecimal> scores, long version, long position) {}

    @ApiResponse(responseCode = "200", description = "Changed: the participant's resulting score",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ScoreResponse.class)))
    @PostMapping("/participants/{participantId}/score-changes")
    public ResponseEntity<?> changeScore(
            @PathVariable UUID scoreboardId,
            @PathVariable UUID participantId,
            WriteHeaders headers,
            @RequestBody ScoreChangeRequest request) {
        String tokenHash = headers.tokenHash();
        if (request == null || request.delta() == null) {
            throw new CommandRejectedException(ErrorCode.INVALID_INPUT, "\"delta\" is required, e.g. {\"delta\": 5}");
        }
        ChangeScoreCommand command = new ChangeScoreCommand(scoreboardId, participantId, request.delta(),
                request.reason(), tokenHash, headers.expectedVersion());
        return execution.run(scoreboardId, tokenHash, Access.SCOREKEEPER, headers.idempotencyKey(), request,
                () -> scoreResponse(scoreboardId, participantId, commands.sendAndWait(command)));
    }

    @ApiResponse(responseCode = "200", description = "Set: the participant's score",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ScoreResponse.class)))
    @PutMapping("/participants/{participantId}/score")
    public ResponseEntity<?> setScore(
            @PathVariable UUID scoreboardId,
            @PathVariable UUID participantId,
            WriteHeaders headers,
            @RequestBody SetScoreRequest request) {
        String tokenHash = headers.tokenHash();
        if (request == null || request.score() == null) {
            throw new CommandRejectedException(ErrorCode.INVALID_INPUT, "\"score\" is required, e.g. {\"score\": 42}");
        }
        SetScoreCommand command = new SetScoreCommand(scoreboardId, participantId, request.score(),
                request.reason(), tokenHash, headers.expectedVersion());
        return execution.run(scoreboardId, tokenHash, Access.SCOREKEEPER, headers.idempotencyKey(), request,
                () -> scoreResponse(scoreboardId, participantId, commands.sendAndWait(command)));
    }

    @ApiResponse(responseCode = "200", description = "Every delta applied, atomically: the resulting scores by participant id",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ScoresResponse.class)))
    @PostMapping("/rounds")
    public ResponseEntity<?> recordRound(
            @PathVariable UUID scoreboardId,
            WriteHeaders headers,
            @RequestBody RoundRequest request) {
        String tokenHash = headers.tokenHash();
        if (request == null) {
            throw new CommandRejectedException(ErrorCode.INVALID_INPUT,
                    "a round needs \"deltas\", e.g. {\"comment\": \"Round 3\", \"deltas\": {\"<participantId>\": 5}}");
        }
        RecordRoundCommand command = new RecordRoundCommand(scoreboardId, request.comment(), request.deltas(),
                tokenHash, headers.expectedVersion());
        return execution.run(scoreboardId, tokenHash, Access.SCOREKEEPER, headers.idempotencyKey(), request,
                () -> scoresResponse(scoreboardId, commands.sendAndWait(command)));
    }

    /** The scores a command left, with its version and (once committed) position: a round's, a rewind's. */
    static CommandExecution.Completed<ScoresResponse> scoresResponse(UUID scoreboardId, CommandOutcome outcome) {
        return CommandExecution.Completed.ok(scoreboardId, outcome.version(),
                position -> new ScoresResponse(outcome.scores(), outcome.version(), position));
    }

    @ApiResponse(responseCode = "200", description = "The latest change not undone yet is reverted by a compensating event",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = UndoResponse.class)))
    @PostMapping("/undo")
    public ResponseEntity<?> undo(
            @PathVariable UUID scoreboardId,
            WriteHeaders headers) {
        String tokenHash = headers.tokenHash();
        UndoCommand command = new UndoCommand(scoreboardId, tokenHash, headers.expectedVersion());
        return execution.run(scoreboardId, tokenHash, Access.SCOREKEEPER, headers.idempotencyKey(), null, () -> {
            CommandOutcome outcome = commands.sendAndWait(command);
            return CommandExecution.Completed.ok(scoreboardId, outcome.version(), position ->
                    new UndoResponse(outcome.undoneSequenceNumber(), outcome.scores(), outcome.version(), position));
        });
    }

    private static CommandExecution.Completed<ScoreResponse> scoreResponse(UUID scoreboardId, UUID participantId,
                                                                          CommandOutcome outcome) {
        return CommandExecution.Completed.ok(scoreboardId, outcome.version(),
                position -> new ScoreResponse(outcome.scores().get(participantId), outcome.version(), position));
    }
}
