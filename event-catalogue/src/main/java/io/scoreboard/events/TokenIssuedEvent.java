package io.scoreboard.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;
import java.util.UUID;

/**
 * A board got another token: {@code issuedTokenId} names it in history forever, {@code label} says whose it
 * is ("Table 3"). Only the token's SHA-256 hash travels, as in {@link ScoreboardCreatedEvent}: events live
 * forever and reach Kafka, so no secret may be inside one. {@code tokenId} is the admin token that issued it.
 */
@EventType(name = "TokenIssued", version = 1)
public record TokenIssuedEvent(UUID scoreboardId, UUID issuedTokenId, TokenKind kind, String label,
                               String tokenHash,
                               @JsonInclude(JsonInclude.Include.NON_NULL) UUID tokenId) implements ScoreboardEvent {

    @JsonCreator
    public TokenIssuedEvent {
        Objects.requireNonNull(scoreboardId, "scoreboardId");
        Objects.requireNonNull(issuedTokenId, "issuedTokenId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(tokenHash, "tokenHash");
    }
}
