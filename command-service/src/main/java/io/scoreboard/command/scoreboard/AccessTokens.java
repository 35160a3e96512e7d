package io.scoreboard.command.scoreboard;

import io.scoreboard.events.TokenHash;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Bearer tokens for a scoreboard: 256 random bits, shown once at creation, stored only as a
 * SHA-256 hash (a fast hash is enough for secrets with this much entropy; there is nothing to
 * brute-force).
 */
public final class AccessTokens {

    private static final SecureRandom RANDOM = new SecureRandom();

    private AccessTokens() {}

    /** A new token; the prefix tells admin from scorekeeper tokens apart in logs and secret scanners. */
    public static String newToken(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String hash(String token) {
        return TokenHash.of(token);
    }

    /** Constant-time comparison of two hashes. */
    public static boolean matches(String expectedHash, String presentedHash) {
        if (expectedHash == null || presentedHash == null) {
            return false;
        }
        return MessageDigest.isEqual(expectedHash.getBytes(StandardCharsets.US_ASCII),
                presentedHash.getBytes(StandardCharsets.US_ASCII));
    }
}
