package io.scoreboard.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How a token's secret becomes the hash events carry ({@code ScoreboardCreated}, {@code TokenIssued}): SHA-256,
 * lower-case hex. The command side stores it, the query side compares a private board's readers' tokens with it;
 * one definition, so the two cannot drift. A fast hash is enough for secrets of 256 random bits.
 */
public final class TokenHash {

    private TokenHash() {}

    public static String of(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}
