package io.scoreboard.command.scoreboard.api;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.http.MediaType;
import io.scoreboard.command.scoreboard.Access;
import io.scoreboard.command.scoreboard.CommandOutcome;
import io.scoreboard.command.scoreboard.ScoreboardCommands.AddParticipantCommand;
import io.scoreboard.command.scoreboard.ScoreboardCommands.RemoveParticipantCommand;
import io.scoreboard.command.scoreboard.ScoreboardCommands.RenameParticipantCommand;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Participants of a board: add, rename, remove (admin token). */
@RestController
@RequestMapping("/api/v1/scoreboards/{scoreboardId}/participants")
public class ParticipantCommandController {

    private final CommandGateway commands;
    private final CommandExecution execution;

    public ParticipantCommandController(CommandGateway commands, CommandExecution execution) {
        this.commands = commands;
        this.execution = execution;
    }

    public record ParticipantRequest(String name) {}

    public record ParticipantAddedResponse(UUID participantId, long version, long position) {}

    @ApiResponse(responseCode = "201", description = "Added with a score of 0; Location names the participant",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ParticipantAddedResponse.class)))
    @PostMapping
    public ResponseEntity<?> add(
            @PathVariable UUID scoreboardId,
            WriteHeaders headers,
            @RequestBody ParticipantRequest request) {
        String tokenHash = headers.tokenHash();
        Long expectedVersion = headers.expectedVersion();
        return execution.run(scoreboardId, tokenHash, Access.ADMIN, headers.idempotencyKey(), request, () -> {
            UUID participantId = UUID.randomUUID();
            CommandOutcome outcome = commands.sendAndWait(new AddParticipantCommand(scoreboardId, participantId,
                    request == null ? null : request.name(), tokenHash, expectedVersion));
            return CommandExecution.Completed.created(
                    "/api/v1/scoreboards/" + scoreboardId + "/participants/" + participantId, scoreboardId,
                    outcome.version(), position -> new ParticipantAddedResponse(participantId, outcome.version(), position));
        });
    }

    @ApiResponse(responseCode = "200", description = "Renamed",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ScoreboardCommandController.VersionResponse.class)))
    @PatchMapping("/{participantId}")
    public ResponseEntity<?> rename(
            @PathVariable UUID scoreboardId,
            @PathVariable UUID participantId,
            WriteHeaders headers,
            @RequestBody ParticipantRequest request) {
        String tokenHash = headers.tokenHash();
        RenameParticipantCommand command = new RenameParticipantCommand(scoreboardId, participantId,
                request == null ? null : request.name(), tokenHash, headers.expectedVersion());
        return execution.run(scoreboardId, tokenHash, Access.ADMIN, headers.idempotencyKey(), request, () ->
                ScoreboardCommandController.versionResponse(scoreboardId, commands.sendAndWait(command)));
    }

    @ApiResponse(responseCode = "200", description = "Removed (its history stays)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ScoreboardCommandController.VersionResponse.class)))
    @DeleteMapping("/{participantId}")
    public ResponseEntity<?> remove(
            @PathVariable UUID scoreboardId,
            @PathVariable UUID participantId,
            WriteHeaders headers) {
        String tokenHash = headers.tokenHash();
        RemoveParticipantCommand command = new RemoveParticipantCommand(scoreboardId, participantId, tokenHash,
                headers.expectedVersion());
        return execution.run(scoreboardId, tokenHash, Access.ADMIN, headers.idempotencyKey(), null, () ->
                ScoreboardCommandController.versionResponse(scoreboardId, commands.sendAndWait(command)));
    }
}
