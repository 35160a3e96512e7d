package io.scoreboard.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;
import java.util.UUID;

/**
 * A board's token stopped working: {@code revokedTokenId} is refused from this event on, and stays in
 * history as the author of what it wrote before. {@code tokenId} is the admin token that revoked it (it may
 * be the revoked token itself).
 */
@EventType(name = "TokenRevoked", version = 1)
public record TokenRevokedEvent(UUID scoreboardId, UUID revokedTokenId,
                                @JsonInclude(JsonInclude.Include.NON_NULL) UUID tokenId) implements ScoreboardEvent {

    @JsonCreator
    public TokenRevokedEvent {
        Objects.requireNonNull(scoreboardId, "scoreboardId");
        Objects.requireNonNull(revokedTokenId, "revokedTokenId");
    }
}
