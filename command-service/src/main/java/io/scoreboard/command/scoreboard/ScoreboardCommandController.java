package io.scoreboard.command.scoreboard;

import io.scoreboard.command.replication.ReplicationGate;
import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreOrder;
import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The command API (SPEC: command service). Parses, authenticates, sends a command, maps the result. */
@RestController
@RequestMapping("/api/v1/scoreboards")
public class ScoreboardCommandController {

    static final String ADMIN_TOKEN_PREFIX = "sba_";
    static final String SCOREKEEPER_TOKEN_PREFIX = "sbs_";

    private final CommandGateway commands;
    private final ReplicationGate replication;

    public ScoreboardCommandController(CommandGateway commands, ReplicationGate replication) {
        this.commands = commands;
        this.replication = replication;
    }

    public record CreateScoreboardRequest(String name, ScoreOrder scoreOrder, Ranking ranking, List<String> participants) {}

    public record ParticipantView(UUID participantId, String name) {}

    public record CreateScoreboardResponse(UUID scoreboardId, String adminToken, String scorekeeperToken,
                                           List<ParticipantView> participants, long version, long position) {}

    public record ScoreChangeRequest(BigDecimal delta, String reason) {}

    public record ScoreChangeResponse(BigDecimal score, long version, long position) {}

    @PostMapping
    public ResponseEntity<CreateScoreboardResponse> create(@RequestBody CreateScoreboardRequest request) {
        if (request == null) {
            throw new CommandRejectedException(ErrorCode.INVALID_INPUT, "a JSON object with at least \"name\" is required");
        }
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
                participants, AccessTokens.hash(adminToken), AccessTokens.hash(scorekeeperToken)));
        long version = participants.size(); // ScoreboardCreated, then one ParticipantAdded each
        long position = replication.awaitDurable(scoreboardId, version);
        List<ParticipantView> views = participants.stream()
                .map(p -> new ParticipantView(p.participantId(), p.name().strip()))
                .toList();
        return ResponseEntity.created(URI.create("/api/v1/scoreboards/" + scoreboardId))
                .eTag(etag(version))
                .body(new CreateScoreboardResponse(scoreboardId, adminToken, scorekeeperToken, views, version, position));
    }

    @PostMapping("/{scoreboardId}/participants/{participantId}/score-changes")
    public ResponseEntity<ScoreChangeResponse> changeScore(
            @PathVariable UUID scoreboardId,
            @PathVariable UUID participantId,
            @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @RequestBody ScoreChangeRequest request) {
        String tokenHash = BearerToken.hashOf(authorization);
        if (request == null || request.delta() == null) {
            throw new CommandRejectedException(ErrorCode.INVALID_INPUT, "\"delta\" is required, e.g. {\"delta\": 5}");
        }
        ScoreChangeOutcome outcome = commands.sendAndWait(
                new ChangeScoreCommand(scoreboardId, participantId, request.delta(), request.reason(), tokenHash));
        long position = replication.awaitDurable(scoreboardId, outcome.version());
        return ResponseEntity.ok()
                .eTag(etag(outcome.version()))
                .body(new ScoreChangeResponse(outcome.score(), outcome.version(), position));
    }

    private static String etag(long version) {
        return "\"" + version + "\"";
    }
}
