package io.scoreboard.command.scoreboard.api;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.http.MediaType;
import io.scoreboard.command.scoreboard.Access;
import io.scoreboard.command.scoreboard.AccessTokens;
import io.scoreboard.command.scoreboard.CommandOutcome;
import io.scoreboard.command.scoreboard.CommandRejectedException;
import io.scoreboard.command.scoreboard.CreateScoreboardCommand;
import io.scoreboard.command.scoreboard.ErrorCode;
import io.scoreboard.command.scoreboard.ScoreboardCommands.ChangeBoardSettingsCommand;
import io.scoreboard.command.scoreboard.ScoreboardCommands.DeleteScoreboardCommand;
import io.scoreboard.command.scoreboard.ScoreboardCommands.RestoreScoreboardCommand;
import io.scoreboard.command.scoreboard.ScoreboardCommands.RewindCommand;
import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.events.Visibility;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Boards: create, change settings, soft delete, restore. Parses, sends a command, maps the result. */
@RestController
@RequestMapping("/api/v1/scoreboards")
public class ScoreboardCommandController {

    static final String IDEMPOTENCY_KEY = WriteHeaders.IDEMPOTENCY_KEY;
    static final String ADMIN_TOKEN_PREFIX = "sba_";
    static final String SCOREKEEPER_TOKEN_PREFIX = "sbs_";

    private final CommandGateway commands;
    private final CommandExecution execution;

    public ScoreboardCommandController(CommandGateway commands, CommandExecution execution) {
        this.commands = commands;
        this.execution = execution;
    }

    public record CreateScoreboardRequest(String name, ScoreOrder scoreOrder, Ranking ranking, List<String> participants,
                                          Visibility visibility) {}

    public record ParticipantView(UUID participantId, String name) {}

    public record CreateScoreboardResponse(UUID scoreboardId, String adminToken, String scorekeeperToken,
                                           List<ParticipantView> participants, long version, long position) {}

    public record UpdateScoreboardRequest(String name, ScoreOrder scoreOrder, Ranking ranking, Visibility visibility) {}

    public record VersionResponse(long version, long position) {}

    @ApiResponse(responseCode = "201", description = "Created: the board's id, its two first tokens (shown once) and participants; Location names the board",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = CreateScoreboardResponse.class)))
    @PostMapping
    public ResponseEntity<?> create(
            @RequestHeader(value = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
            @RequestBody CreateScoreboardRequest request) {
        if (request == null) {
            throw new CommandRejectedException(ErrorCode.INVALID_INPUT, "a JSON object with at least \"name\" is required");
        }
        return execution.create(idempotencyKey, request, () -> createBoard(request));
    }

    private CommandExecution.Completed<CreateScoreboardResponse> createBoard(CreateScoreboardRequest request) {
        UUID scoreboardId = UUID.randomUUID();
        List<String> names = request.participants() == null ? List.of() : request.participants();
        List<CreateScoreboardCommand.NewParticipant> participants = new ArrayList<>();
        for (String name : names) {
            participants.add(new CreateScoreboardCommand.NewParticipant(UUID.randomUUID(), name));
        }
        String adminToken = AccessTokens.newToken(ADMIN_TOKEN_PREFIX);
        String scorekeeperToken = AccessTokens.newToken(SCOREKEEPER_TOKEN_PREFIX);
        commands.sendAndWait(new CreateScoreboardCommand(scoreboardId, request.name(),
                request.scoreOrder() == null ? ScoreOrder.HIGHEST_FIRST : request.scoreOrder(),
                request.ranking() == null ? Ranking.STANDARD : request.ranking(),
                participants, AccessTokens.hash(adminToken), AccessTokens.hash(scorekeeperToken),
                request.visibility() == null ? Visibility.PUBLIC : request.visibility()));
        long version = participants.size(); // ScoreboardCreated, then one ParticipantAdded each
        List<ParticipantView> views = participants.stream()
                .map(p -> new ParticipantView(p.participantId(), p.name().strip()))
                .toList();
        return CommandExecution.Completed.created("/api/v1/scoreboards/" + scoreboardId, scoreboardId, version, position ->
                new CreateScoreboardResponse(scoreboardId, adminToken, scorekeeperToken, views, version, position));
    }

    @ApiResponse(responseCode = "200", description = "Changed (or nothing to change: the same version)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = VersionResponse.class)))
    @PatchMapping("/{scoreboardId}")
    public ResponseEntity<?> update(
            @PathVariable UUID scoreboardId,
            WriteHeaders headers,
            @RequestBody UpdateScoreboardRequest request) {
        String tokenHash = headers.tokenHash();
        if (request == null) {
            throw new CommandRejectedException(ErrorCode.INVALID_INPUT,
                    "give at least one of \"name\", \"scoreOrder\", \"ranking\", \"visibility\"");
        }
        Long expectedVersion = headers.expectedVersion();
        ChangeBoardSettingsCommand command = new ChangeBoardSettingsCommand(scoreboardId, request.name(),
                request.scoreOrder(), request.ranking(), request.visibility(), tokenHash, expectedVersion);
        return execution.run(scoreboardId, tokenHash, Access.ADMIN, headers.idempotencyKey(), request,
                () -> versionResponse(scoreboardId, commands.sendAndWait(command)));
    }

    @ApiResponse(responseCode = "200", description = "Deleted (soft: history stays, POST .../restore brings it back)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = VersionResponse.class)))
    @DeleteMapping("/{scoreboardId}")
    public ResponseEntity<?> delete(
            @PathVariable UUID scoreboardId,
            WriteHeaders headers) {
        String tokenHash = headers.tokenHash();
        DeleteScoreboardCommand command = new DeleteScoreboardCommand(scoreboardId, tokenHash,
                headers.expectedVersion());
        return execution.run(scoreboardId, tokenHash, Access.ADMIN, headers.idempotencyKey(), null,
                () -> versionResponse(scoreboardId, commands.sendAndWait(command)));
    }

    @ApiResponse(responseCode = "200", description = "Restored, exactly as it was",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = VersionResponse.class)))
    @PostMapping("/{scoreboardId}/restore")
    public ResponseEntity<?> restore(
            @PathVariable UUID scoreboardId,
            WriteHeaders headers) {
        String tokenHash = headers.tokenHash();
        RestoreScoreboardCommand command = new RestoreScoreboardCommand(scoreboardId, tokenHash,
                headers.expectedVersion());
        return execution.run(scoreboardId, tokenHash, Access.ADMIN, headers.idempotencyKey(), null,
                () -> versionResponse(scoreboardId, commands.sendAndWait(command)));
    }

    /** {@code to}: an ISO-8601 instant with its zone; {@code reason}: optional, as a score change's. */
    public record RewindRequest(Instant to, String reason) {}

    @ApiResponse(responseCode = "200", description = "The board stands as it stood at \"to\": the scores of every "
            + "participant on it now; recorded as a new event, nothing deleted",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = ScoringCommandController.ScoresResponse.class)))
    @PostMapping("/{scoreboardId}/rewind")
    public ResponseEntity<?> rewind(
            @PathVariable UUID scoreboardId,
            WriteHeaders headers,
            @RequestBody RewindRequest request) {
        String tokenHash = headers.tokenHash();
        if (request == null || request.to() == null) {
            throw new CommandRejectedException(ErrorCode.INVALID_INPUT,
                    "\"to\" is required: the instant to go back to, e.g. {\"to\": \"2026-11-24T21:00:00Z\"}");
        }
        RewindCommand command = new RewindCommand(scoreboardId, request.to(), request.reason(), tokenHash,
                headers.expectedVersion());
        return execution.run(scoreboardId, tokenHash, Access.ADMIN, headers.idempotencyKey(), request, () ->
                ScoringCommandController.scoresResponse(scoreboardId, commands.sendAndWait(command)));
    }

    static CommandExecution.Completed<VersionResponse> versionResponse(UUID scoreboardId, CommandOutcome outcome) {
        return CommandExecution.Completed.ok(scoreboardId, outcome.version(),
                position -> new VersionResponse(outcome.version(), position));
    }
}
