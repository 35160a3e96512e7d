package io.scoreboard.command.scoreboard;

/** Reads {@code Authorization: Bearer <token>}; a missing or malformed header is a 401. */
final class BearerToken {

    private static final String PREFIX = "Bearer ";

    private BearerToken() {}

    /** The hash of the presented token; the token itself goes no further than this method. */
    static String hashOf(String authorizationHeader) {
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            throw new CommandRejectedException(ErrorCode.UNAUTHENTICATED,
                    "this write needs 'Authorization: Bearer <token>' with the token from the board's creation");
        }
        if (!authorizationHeader.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
                || authorizationHeader.length() == PREFIX.length()) {
            throw new CommandRejectedException(ErrorCode.UNAUTHENTICATED,
                    "the Authorization header must be 'Bearer <token>'");
        }
        return AccessTokens.hash(authorizationHeader.substring(PREFIX.length()).strip());
    }
}
