package io.scoreboard.projections.scoreboard;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Who may read a board (ADR 0041), as the read model holds it at {@code version}: anyone when it is public; when
 * it is private, only who presents one of its working tokens ({@code tokenHashes}: SHA-256, as the events carry
 * them; revoked ones are left out).
 */
public record BoardAccess(long version, boolean isPrivate, List<String> tokenHashes) {

    public BoardAccess {
        tokenHashes = List.copyOf(tokenHashes);
    }

    /** Whether a reader presenting a token with this hash (null: none) may read the board. */
    public boolean admits(String presentedHash) {
        if (!isPrivate) {
            return true;
        }
        if (presentedHash == null) {
            return false;
        }
        boolean found = false;
        byte[] presented = presentedHash.getBytes(StandardCharsets.US_ASCII);
        for (String hash : tokenHashes) {
            // Every hash compared, each in constant time: how long a refusal takes says nothing about the tokens.
            found |= MessageDigest.isEqual(hash.getBytes(StandardCharsets.US_ASCII), presented);
        }
        return found;
    }

    /** The board's access as the read model holds it now; empty when it has no such board. */
    public static Optional<BoardAccess> read(Connection connection, UUID scoreboardId) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement("""
                SELECT s.version, s.visibility, t.token_hash
                  FROM scoreboards s
                  LEFT JOIN board_tokens t ON t.scoreboard_id = s.scoreboard_id AND t.revoked_at IS NULL
                                          AND s.visibility = 'PRIVATE'
                 WHERE s.scoreboard_id = ?""")) {
            p.setObject(1, scoreboardId);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long version = rs.getLong(1);
                boolean isPrivate = "PRIVATE".equals(rs.getString(2));
                List<String> hashes = new ArrayList<>();
                do {
                    String hash = rs.getString(3);
                    if (hash != null) {
                        hashes.add(hash);
                    }
                } while (rs.next());
                return Optional.of(new BoardAccess(version, isPrivate, hashes));
            }
        }
    }
}
