package io.scoreboard.command.scoreboard.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scoreboard.command.scoreboard.CommandRejectedException;
import io.scoreboard.command.scoreboard.ErrorCode;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class IdempotencyKeysTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    private static byte[] random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return b;
    }

    @Test
    void aCreateKey_withAtLeast128RandomBits_isAccepted() {
        for (String key : new String[] {
                UUID.randomUUID().toString(),
                UUID.randomUUID().toString().toUpperCase(),
                HexFormat.of().formatHex(random(16)),
                Base64.getUrlEncoder().withoutPadding().encodeToString(random(16)),
                Base64.getUrlEncoder().withoutPadding().encodeToString(random(32))}) {
            assertThat(IdempotencyKeys.ofCreate(key)).as(key).isEqualTo(key);
        }
        assertThat(IdempotencyKeys.ofCreate(null)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "1", "retry-1", "order-2026-12-03",
            "0123456789abcdef0123456789abcde",          // 31 hex digits: 124 bits
            "0123456789abcdef-0123456789abcde",        // hyphens do not count
            "AAAAAAAAAAAAAAAAAAAAA",                    // 21 base64url characters: 126 bits
            "c2NvcmVib2FyZC1zZWNyZXQ+a2V5",             // standard base64, not base64url
            "key with a space and more than 22 characters"})
    void aCreateKey_thatCouldBeGuessed_isRefused_namingTheRule(String key) {
        assertThatThrownBy(() -> IdempotencyKeys.ofCreate(key))
                .isInstanceOfSatisfying(CommandRejectedException.class, e -> {
                    assertThat(e.code()).isIn(ErrorCode.MALFORMED_REQUEST);
                    assertThat(e.getMessage()).as(key).containsAnyOf("128 random bits", "visible ASCII");
                });
    }

    @Test
    void aBoardWriteKey_isAnyVisibleAsciiUpTo255() {
        assertThat(IdempotencyKeys.ofBoardWrite("1")).isEqualTo("1");
        assertThat(IdempotencyKeys.ofBoardWrite("x".repeat(255))).hasSize(255);
        assertThatThrownBy(() -> IdempotencyKeys.ofBoardWrite("x".repeat(256))).isInstanceOf(CommandRejectedException.class);
        assertThatThrownBy(() -> IdempotencyKeys.ofBoardWrite("two words")).isInstanceOf(CommandRejectedException.class);
    }
}
