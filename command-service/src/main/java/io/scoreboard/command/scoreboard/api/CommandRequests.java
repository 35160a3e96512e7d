package io.scoreboard.command.scoreboard.api;

import io.scoreboard.command.scoreboard.AccessTokens;
import io.scoreboard.command.scoreboard.CommandRejectedException;
import io.scoreboard.command.scoreboard.ErrorCode;

/** Reads the headers every write shares: the bearer token and the optional If-Match version. */
final class CommandRequests {

    private static final String BEARER = "Bearer ";

    private CommandRequests() {}

    /** The hash of the presented token; the token itself goes no further than this method. */
    static String tokenHash(String authorizationHeader) {
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            throw new CommandRejectedException(ErrorCode.UNAUTHENTICATED,
                    "this write needs 'Authorization: Bearer <token>' with a token from the board's creation");
        }
        if (!authorizationHeader.regionMatches(true, 0, BEARER, 0, BEARER.length())
                || authorizationHeader.strip().length() <= BEARER.strip().length()) {
            throw new CommandRejectedException(ErrorCode.UNAUTHENTICATED,
                    "the Authorization header must be 'Bearer <token>'");
        }
        return AccessTokens.hash(authorizationHeader.substring(BEARER.length()).strip());
    }

    /** {@code If-Match: "7"} → 7; absent or {@code *} → null (any version). */
    static Long expectedVersion(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.strip().equals("*")) {
            return null;
        }
        String value = ifMatch.strip();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        try {
            long version = Long.parseLong(value);
            if (version < 0) {
                throw new NumberFormatException();
            }
            return version;
        } catch (NumberFormatException e) {
            throw new CommandRejectedException(ErrorCode.MALFORMED_REQUEST,
                    "If-Match must be a board version in quotes, e.g. If-Match: \"7\" (the ETag of a response)");
        }
    }

    static String etag(long version) {
        return "\"" + version + "\"";
    }
}
