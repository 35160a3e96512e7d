package io.scoreboard.command.scoreboard;

/** Names of boards and participants: trimmed, 1–100 characters, no control characters. */
public final class Names {

    public static final int MAX_LENGTH = 100;

    private Names() {}

    public static String requireValid(String name, String what) {
        if (name == null) {
            throw new CommandRejectedException(ErrorCode.INVALID_INPUT, what + " is required");
        }
        String trimmed = name.strip();
        if (trimmed.isEmpty()) {
            throw new CommandRejectedException(ErrorCode.INVALID_INPUT, what + " must not be blank");
        }
        if (trimmed.codePointCount(0, trimmed.length()) > MAX_LENGTH) {
            throw new CommandRejectedException(ErrorCode.INVALID_INPUT,
                    what + " must be at most " + MAX_LENGTH + " characters");
        }
        if (trimmed.codePoints().anyMatch(Character::isISOControl)) {
            throw new CommandRejectedException(ErrorCode.INVALID_INPUT, what + " must not contain control characters");
        }
        if (trimmed.codePoints().anyMatch(c -> Character.getType(c) == Character.SURROGATE)) {
            throw new CommandRejectedException(ErrorCode.INVALID_INPUT, what + " must be valid Unicode text "
                    + "(it contains an unpaired surrogate)");
        }
        return trimmed;
    }
}
