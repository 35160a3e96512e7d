package io.scoreboard.command.scoreboard;

import io.scoreboard.events.FirstTokens;
import io.scoreboard.events.ScoreboardCreatedEvent;
import io.scoreboard.events.TokenIssuedEvent;
import io.scoreboard.events.TokenKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A board's tokens as its events hold them (the first two in {@code ScoreboardCreated}, more in
 * {@code TokenIssued}, some ended by {@code TokenRevoked}), and the one rule for them: an admin token may do
 * everything, a scorekeeper token only scoring, a reader token nothing on the write side. Immutable: the
 * aggregate and the check before the board's lock ({@code BoardAuthorization}) hold whichever copy they read.
 */
public record BoardCredentials(List<BoardToken> tokens) {

    /** One token: its id in history, its kind and label, its SHA-256 hash, when it was issued and revoked. */
    public record BoardToken(UUID tokenId, TokenKind kind, String label, String hash, Instant issuedAt,
                             Instant revokedAt) {
        public boolean revoked() {
            return revokedAt != null;
        }
    }

    public BoardCredentials {
        tokens = List.copyOf(tokens);
    }

    /** The first two tokens, as a board's creation records them. */
    public static BoardCredentials created(ScoreboardCreatedEvent created, Instant at) {
        UUID board = created.scoreboardId();
        return new BoardCredentials(List.of(
                new BoardToken(FirstTokens.adminTokenId(board), TokenKind.ADMIN, FirstTokens.ADMIN_LABEL,
                        created.adminTokenHash(), at, null),
                new BoardToken(FirstTokens.scorekeeperTokenId(board), TokenKind.SCOREKEEPER,
                        FirstTokens.SCOREKEEPER_LABEL, created.scorekeeperTokenHash(), at, null)));
    }

    public BoardCredentials issued(TokenIssuedEvent issued, Instant at) {
        List<BoardToken> next = new ArrayList<>(tokens);
        next.add(new BoardToken(issued.issuedTokenId(), issued.kind(), issued.label(), issued.tokenHash(), at, null));
        return new BoardCredentials(next);
    }

    public BoardCredentials revoked(UUID tokenId, Instant at) {
        return new BoardCredentials(tokens.stream()
                .map(t -> t.tokenId().equals(tokenId) && !t.revoked()
                        ? new BoardToken(t.tokenId(), t.kind(), t.label(), t.hash(), t.issuedAt(), at) : t)
                .toList());
    }

    public Optional<BoardToken> token(UUID tokenId) {
        return tokens.stream().filter(t -> t.tokenId().equals(tokenId)).findFirst();
    }

    /** The token whose hash this is, revoked or not; every hash is compared, each in constant time. */
    public Optional<BoardToken> withHash(String tokenHash) {
        BoardToken found = null;
        for (BoardToken token : tokens) {
            if (AccessTokens.matches(token.hash(), tokenHash)) {
                found = token;
            }
        }
        return Optional.ofNullable(found);
    }

    public long active(TokenKind kind) {
        return tokens.stream().filter(t -> t.kind() == kind && !t.revoked()).count();
    }

    public long active() {
        return tokens.stream().filter(t -> !t.revoked()).count();
    }

    /**
     * The id of the token {@code tokenHash} belongs to, when it may do {@code access} on board {@code scoreboardId};
     * else throws FORBIDDEN, saying what the token may do when it is one of the board's.
     */
    public UUID require(UUID scoreboardId, String tokenHash, Access access) {
        BoardToken token = withHash(tokenHash).orElseThrow(() -> new CommandRejectedException(ErrorCode.FORBIDDEN,
                "the bearer token is not valid for scoreboard " + scoreboardId));
        if (token.revoked()) {
            throw new CommandRejectedException(ErrorCode.FORBIDDEN, "the bearer token '" + token.label()
                    + "' of scoreboard " + scoreboardId + " was revoked at " + token.revokedAt()
                    + "; ask the board's admin for a new one");
        }
        boolean allowed = switch (token.kind()) {
            case ADMIN -> true;
            case SCOREKEEPER -> access == Access.SCOREKEEPER;
            case READER -> false;
        };
        if (!allowed) {
            throw new CommandRejectedException(ErrorCode.FORBIDDEN, token.kind() == TokenKind.READER
                    ? "a reader token may only read (it opens a private board's queries); this needs the admin token"
                    : "the scorekeeper token may only change scores; this needs the admin token");
        }
        return token.tokenId();
    }
}
