package io.scoreboard.command.scoreboard.api;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.http.MediaType;
import io.scoreboard.command.access.BoardAuthorization;
import io.scoreboard.command.scoreboard.Access;
import io.scoreboard.command.scoreboard.AccessTokens;
import io.scoreboard.command.scoreboard.BoardCredentials.BoardToken;
import io.scoreboard.command.scoreboard.CommandOutcome;
import io.scoreboard.command.scoreboard.CommandRejectedException;
import io.scoreboard.command.scoreboard.ErrorCode;
import io.scoreboard.command.scoreboard.ScoreboardCommands.IssueTokenCommand;
import io.scoreboard.command.scoreboard.ScoreboardCommands.RevokeTokenCommand;
import io.scoreboard.events.TokenKind;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A board's tokens (admin token): list, issue, revoke. Secrets are made here and shown once, in the answer to
 * their issue; only their hashes go further (ADR 0042).
 */
@RestController
@RequestMapping("/api/v1/scoreboards/{scoreboardId}/tokens")
public class TokenCommandController {

    /** Prefixes tell the kinds apart in logs and secret scanners (the first two as at creation). */
    static final String READER_TOKEN_PREFIX = "sbr_";

    private final CommandGateway commands;
    private final CommandExecution execution;
    private final BoardAuthorization authorization;

    public TokenCommandController(CommandGateway commands, CommandExecution execution,
                                  BoardAuthorization authorization) {
        this.commands = commands;
        this.execution = execution;
        this.authorization = authorization;
    }

    public record TokenRequest(TokenKind kind, String label) {}

    public record TokenView(UUID tokenId, TokenKind kind, String label, Instant createdAt, Instant revokedAt) {}

    public record TokenList(List<TokenView> tokens) {}

    public record TokenIssuedResponse(UUID tokenId, String token, TokenKind kind, String label, long version,
                                      long position) {}

    /** Every token of the board, revoked ones too (with {@code revokedAt}): never a secret, never a hash. */
    @ApiResponse(responseCode = "200", description = "Every token of the board, oldest first (never a secret or a hash)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = TokenList.class)))
    @GetMapping
    public TokenList list(
            @PathVariable UUID scoreboardId,
            WriteHeaders headers) {
        String tokenHash = headers.tokenHash();
        return new TokenList(this.authorization.tokens(scoreboardId, tokenHash).stream()
                .map(TokenCommandController::view)
                .toList());
    }

    @ApiResponse(responseCode = "201", description = "Issued: the token's secret is shown here once; Location names the token",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = TokenIssuedResponse.class)))
    @PostMapping
    public ResponseEntity<?> issue(
            @PathVariable UUID scoreboardId,
            WriteHeaders headers,
            @RequestBody TokenRequest request) {
        String tokenHash = headers.tokenHash();
        if (request == null || request.kind() == null) {
            throw new CommandRejectedException(ErrorCode.INVALID_INPUT,
                    "give the token's \"kind\" (\"ADMIN\", \"SCOREKEEPER\" or \"READER\") and a \"label\", "
                            + "e.g. {\"kind\": \"SCOREKEEPER\", \"label\": \"Table 3\"}");
        }
        Long expectedVersion = headers.expectedVersion();
        ResponseEntity<?> answer = execution.run(scoreboardId, tokenHash, Access.ADMIN, headers.idempotencyKey(), request, () -> {
            UUID tokenId = UUID.randomUUID();
            String token = AccessTokens.newToken(prefix(request.kind()));
            CommandOutcome outcome = commands.sendAndWait(new IssueTokenCommand(scoreboardId, tokenId, request.kind(),
                    request.label(), AccessTokens.hash(token), tokenHash, expectedVersion));
            String label = request.label().strip();
            return CommandExecution.Completed.created(
                    "/api/v1/scoreboards/" + scoreboardId + "/tokens/" + tokenId, scoreboardId, outcome.version(),
                    position -> new TokenIssuedResponse(tokenId, token, request.kind(), label, outcome.version(),
                            position));
        });
        this.authorization.forget(scoreboardId);
        return answer;
    }

    @ApiResponse(responseCode = "200", description = "Revoked: the token is refused from now on",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ScoreboardCommandController.VersionResponse.class)))
    @DeleteMapping("/{tokenId}")
    public ResponseEntity<?> revoke(
            @PathVariable UUID scoreboardId,
            @PathVariable UUID tokenId,
            WriteHeaders headers) {
        String tokenHash = headers.tokenHash();
        RevokeTokenCommand command = new RevokeTokenCommand(scoreboardId, tokenId, tokenHash,
                headers.expectedVersion());
        ResponseEntity<?> answer = execution.run(scoreboardId, tokenHash, Access.ADMIN, headers.idempotencyKey(), null, () ->
                ScoreboardCommandController.versionResponse(scoreboardId, commands.sendAndWait(command)));
        // The aggregate refuses the revoked token from its commit on; this makes the check before the lock do so too.
        this.authorization.forget(scoreboardId);
        return answer;
    }

    private static String prefix(TokenKind kind) {
        return switch (kind) {
            case ADMIN -> ScoreboardCommandController.ADMIN_TOKEN_PREFIX;
            case SCOREKEEPER -> ScoreboardCommandController.SCOREKEEPER_TOKEN_PREFIX;
            case READER -> READER_TOKEN_PREFIX;
        };
    }

    private static TokenView view(BoardToken token) {
        return new TokenView(token.tokenId(), token.kind(), token.label(), token.issuedAt(), token.revokedAt());
    }
}
