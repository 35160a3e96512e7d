package io.scoreboard.command.scoreboard;

/**
 * Every way a command can be refused. Each code has a stable problem {@code type} and one HTTP
 * status, mapped in one place (ProblemDetailsHandler); nothing matches on message text.
 */
public enum ErrorCode {
    MALFORMED_REQUEST,
    INVALID_INPUT,
    LIMIT_EXCEEDED,
    UNAUTHENTICATED,
    FORBIDDEN,
    SCOREBOARD_NOT_FOUND,
    PARTICIPANT_NOT_FOUND,
    SCOREBOARD_DELETED,
    SCOREBOARD_NOT_DELETED,
    PARTICIPANT_REMOVED,
    DUPLICATE_PARTICIPANT_NAME,
    /** Team names are unique per board ignoring case, among teams not removed. */
    DUPLICATE_TEAM_NAME,
    TEAM_NOT_FOUND,
    /** The team was removed: it can no longer be renamed, removed again, or joined. */
    TEAM_REMOVED,
    NOTHING_TO_UNDO,
    TOKEN_NOT_FOUND,
    /** The token was revoked before: a revocation is final and happens once. */
    TOKEN_ALREADY_REVOKED,
    /** A board keeps at least one working admin token: without one nobody could ever manage it again. */
    LAST_ADMIN_TOKEN,
    VERSION_MISMATCH,
    IDEMPOTENCY_KEY_REUSED,
    CONCURRENT_MODIFICATION,
    SCORE_OUT_OF_RANGE,
    REPLICATION_PENDING,
    STORE_UNAVAILABLE,
    /** Another write held the board's lock longer than scoreboard.commands.board-lock-timeout: nothing stored. */
    BOARD_BUSY,
    /** Answered by the rate-limit filter (http-edge), before any command runs; listed so every code is here. */
    RATE_LIMITED;

    /** The problem+json {@code type}: a stable URI per code. */
    public String typeUri() {
        return "urn:scoreboard:problem:" + name().toLowerCase().replace('_', '-');
    }
}
