package io.scoreboard.command.scoreboard;

/** A command broke a rule. Nothing was appended. */
public class CommandRejectedException extends RuntimeException {

    private final ErrorCode code;

    public CommandRejectedException(ErrorCode code, String detail) {
        super(detail);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
