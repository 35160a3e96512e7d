package io.scoreboard.projections.scoreboard;

import java.time.Instant;
import java.util.UUID;

/**
 * One {@code board_tokens} row: a token of a board as its events describe it (ADR 0042). The read side needs
 * its id and label to say who wrote each change in history, and its hash to open a private board's reads; the
 * hash never leaves the query service's own role (the analyst role's grants leave that column out).
 */
public record TokenRow(UUID scoreboardId, UUID tokenId, String kind, String label, String tokenHash,
                       Instant issuedAt, Instant revokedAt) {

    public TokenRow {
        issuedAt = BoardRow.micros(issuedAt);
        revokedAt = BoardRow.micros(revokedAt);
    }

    TokenRow revoked(Instant at) {
        return new TokenRow(scoreboardId, tokenId, kind, label, tokenHash, issuedAt, at);
    }

    /** Canonical text of every column, for {@link BoardRow#checksum()}. */
    String text() {
        return tokenId + "|" + kind + "|" + label + "|" + tokenHash + "|" + issuedAt + "|" + revokedAt;
    }
}
