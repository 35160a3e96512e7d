package io.scoreboard.command.scoreboard.api;

import io.scoreboard.command.scoreboard.CommandOutcome;
import io.scoreboard.command.scoreboard.api.ScoreboardCommandController.VersionResponse;
import io.scoreboard.command.scoreboard.ScoreboardCommands.AddParticipantCommand;
import io.scoreboard.command.scoreboard.ScoreboardCommands.RemoveParticipantCommand;
import io.scoreboard.command.scoreboard.ScoreboardCommands.RenameParticipantCommand;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Participants of a board: add, rename, remove (admin token). */
@RestController
@RequestMapping("/api/v1/scoreboards/{scoreboardId}/participants")
public class ParticipantCommandController {

    private final CommandGateway commands;
    private final CommandResponses responses;

    public ParticipantCommandController(CommandGateway commands, CommandResponses responses) {
        this.commands = commands;
        this.responses = responses;
    }

    public record ParticipantRequest(String name) {}

    public record ParticipantAddedResponse(UUID participantId, long version, long position) {}

    @PostMapping
    public ResponseEntity<ParticipantAddedResponse> add(
            @PathVariable UUID scoreboardId,
            @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestBody ParticipantRequest request) {
        String tokenHash = CommandRequests.tokenHash(authorization);
        UUID participantId = UUID.randomUUID();
        CommandOutcome outcome = commands.sendAndWait(new AddParticipantCommand(scoreboardId, participantId,
                request == null ? null : request.name(), tokenHash, CommandRequests.expectedVersion(ifMatch)));
        return responses.created("/api/v1/scoreboards/" + scoreboardId + "/participants/" + participantId,
                scoreboardId, outcome.version(),
                position -> new ParticipantAddedResponse(participantId, outcome.version(), position));
    }

    @PatchMapping("/{participantId}")
    public ResponseEntity<VersionResponse> rename(
            @PathVariable UUID scoreboardId,
            @PathVariable UUID participantId,
            @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestBody ParticipantRequest request) {
        String tokenHash = CommandRequests.tokenHash(authorization);
        CommandOutcome outcome = commands.sendAndWait(new RenameParticipantCommand(scoreboardId, participantId,
                request == null ? null : request.name(), tokenHash, CommandRequests.expectedVersion(ifMatch)));
        return responses.ok(scoreboardId, outcome.version(), position -> new VersionResponse(outcome.version(), position));
    }

    @DeleteMapping("/{participantId}")
    public ResponseEntity<VersionResponse> remove(
            @PathVariable UUID scoreboardId,
            @PathVariable UUID participantId,
            @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        CommandOutcome outcome = commands.sendAndWait(new RemoveParticipantCommand(scoreboardId, participantId,
                CommandRequests.tokenHash(authorization), CommandRequests.expectedVersion(ifMatch)));
        return responses.ok(scoreboardId, outcome.version(), position -> new VersionResponse(outcome.version(), position));
    }
}
