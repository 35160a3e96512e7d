package io.scoreboard.command.scoreboard.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.scoreboard.command.scoreboard.Access;
import io.scoreboard.command.scoreboard.CommandOutcome;
import io.scoreboard.command.scoreboard.ScoreboardCommands.ChangeParticipantTeamCommand;
import io.scoreboard.command.scoreboard.ScoreboardCommands.CreateTeamCommand;
import io.scoreboard.command.scoreboard.ScoreboardCommands.RemoveTeamCommand;
import io.scoreboard.command.scoreboard.ScoreboardCommands.RenameTeamCommand;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Teams of a board (admin token): create, rename, remove, and which team a participant is in (ADR 0046). The
 * methods' names are the operations' ids in the OpenAPI document (and a generated client's method names): unique,
 * so that the participants' "rename" and "remove" keep theirs.
 */
@RestController
@RequestMapping("/api/v1/scoreboards/{scoreboardId}")
public class TeamCommandController {

    private final CommandGateway commands;
    private final CommandExecution execution;

    public TeamCommandController(CommandGateway commands, CommandExecution execution) {
        this.commands = commands;
        this.execution = execution;
    }

    public record TeamRequest(String name) {}

    public record TeamCreatedResponse(UUID teamId, long version, long position) {}

    /**
     * {@code teamId} must be there, null to take the participant out of its team: a body without it is refused
     * rather than read as "no team", so a typo cannot silently empty a team.
     */
    public record TeamAssignmentRequest(
            @JsonProperty(required = true)
            @Schema(description = "the team to join, or null for none", types = {"string", "null"}, format = "uuid",
                    requiredMode = Schema.RequiredMode.REQUIRED)
            UUID teamId) {}

    @ApiResponse(responseCode = "201", description = "Created, with no members yet; Location names the team",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = TeamCreatedResponse.class)))
    @PostMapping("/teams")
    public ResponseEntity<?> createTeam(
            @PathVariable UUID scoreboardId,
            WriteHeaders headers,
            @RequestBody TeamRequest request) {
        String tokenHash = headers.tokenHash();
        Long expectedVersion = headers.expectedVersion();
        return execution.run(scoreboardId, tokenHash, Access.ADMIN, headers.idempotencyKey(), request, () -> {
            UUID teamId = UUID.randomUUID();
            CommandOutcome outcome = commands.sendAndWait(new CreateTeamCommand(scoreboardId, teamId,
                    request == null ? null : request.name(), tokenHash, expectedVersion));
            return CommandExecution.Completed.created(
                    "/api/v1/scoreboards/" + scoreboardId + "/teams/" + teamId, scoreboardId,
                    outcome.version(), position -> new TeamCreatedResponse(teamId, outcome.version(), position));
        });
    }

    @ApiResponse(responseCode = "200", description = "Renamed (or already so named: the same version)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ScoreboardCommandController.VersionResponse.class)))
    @PatchMapping("/teams/{teamId}")
    public ResponseEntity<?> renameTeam(
            @PathVariable UUID scoreboardId,
            @PathVariable UUID teamId,
            WriteHeaders headers,
            @RequestBody TeamRequest request) {
        String tokenHash = headers.tokenHash();
        RenameTeamCommand command = new RenameTeamCommand(scoreboardId, teamId,
                request == null ? null : request.name(), tokenHash, headers.expectedVersion());
        return execution.run(scoreboardId, tokenHash, Access.ADMIN, headers.idempotencyKey(), request, () ->
                ScoreboardCommandController.versionResponse(scoreboardId, commands.sendAndWait(command)));
    }

    @ApiResponse(responseCode = "200", description = "Removed: its members stay on the board, without a team",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ScoreboardCommandController.VersionResponse.class)))
    @DeleteMapping("/teams/{teamId}")
    public ResponseEntity<?> removeTeam(
            @PathVariable UUID scoreboardId,
            @PathVariable UUID teamId,
            WriteHeaders headers) {
        String tokenHash = headers.tokenHash();
        RemoveTeamCommand command = new RemoveTeamCommand(scoreboardId, teamId, tokenHash, headers.expectedVersion());
        return execution.run(scoreboardId, tokenHash, Access.ADMIN, headers.idempotencyKey(), null, () ->
                ScoreboardCommandController.versionResponse(scoreboardId, commands.sendAndWait(command)));
    }

    @ApiResponse(responseCode = "200", description = "The participant is in that team now, or in none (or already "
            + "was: the same version)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ScoreboardCommandController.VersionResponse.class)))
    @PutMapping("/participants/{participantId}/team")
    public ResponseEntity<?> changeParticipantTeam(
            @PathVariable UUID scoreboardId,
            @PathVariable UUID participantId,
            WriteHeaders headers,
            @RequestBody TeamAssignmentRequest request) {
        String tokenHash = headers.tokenHash();
        ChangeParticipantTeamCommand command = new ChangeParticipantTeamCommand(scoreboardId, participantId,
                request.teamId(), tokenHash, headers.expectedVersion());
        return execution.run(scoreboardId, tokenHash, Access.ADMIN, headers.idempotencyKey(), request, () ->
                ScoreboardCommandController.versionResponse(scoreboardId, commands.sendAndWait(command)));
    }
}
