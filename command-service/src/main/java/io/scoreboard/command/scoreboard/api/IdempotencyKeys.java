package io.scoreboard.command.scoreboard.api;

import io.scoreboard.command.scoreboard.CommandRejectedException;
import io.scoreboard.command.scoreboard.ErrorCode;
import java.util.regex.Pattern;

/**
 * What an Idempotency-Key header may be. Any write: 1 to 255 visible ASCII characters. A create's key
 * is also its only credential (whoever knows it gets the new board's tokens back), so it must be hard
 * to guess: at least 128 random bits, checked as well as a format can be (ADR 0014).
 */
final class IdempotencyKeys {

    private static final Pattern VISIBLE_ASCII = Pattern.compile("[\\x21-\\x7E]{1,255}");
    /** Hex digits, with a UUID's hyphens: 4 bits a digit, so 32 of them. */
    private static final Pattern HEX = Pattern.compile("[0-9A-Fa-f-]+");
    /** Base64url: 6 bits a character, so 22 of them (132 bits). */
    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]{22,}");
    static final String CREATE_RULE = "the Idempotency-Key of a create must carry at least 128 random bits: a UUID "
            + "(v4), at least 32 hex digits, or at least 22 base64url characters (A-Z a-z 0-9 - _), e.g. 16 random "
            + "bytes encoded; a shorter key could be guessed, and it returns the new board's tokens";

    private IdempotencyKeys() {}

    /** The key of a write to a board, or null when none was sent. */
    static String ofBoardWrite(String key) {
        if (key == null) {
            return null;
        }
        if (!VISIBLE_ASCII.matcher(key).matches()) {
            throw new CommandRejectedException(ErrorCode.MALFORMED_REQUEST,
                    "Idempotency-Key must be 1 to 255 visible ASCII characters, e.g. a UUID");
        }
        return key;
    }

    /** The key of a create, or null when none was sent. */
    static String ofCreate(String key) {
        if (ofBoardWrite(key) == null) {
            return null;
        }
        boolean enough = HEX.matcher(key).matches()
                ? key.chars().filter(c -> c != '-').count() >= 32
                : BASE64URL.matcher(key).matches();
        if (!enough) {
            throw new CommandRejectedException(ErrorCode.MALFORMED_REQUEST, CREATE_RULE);
        }
        return key;
    }
}
