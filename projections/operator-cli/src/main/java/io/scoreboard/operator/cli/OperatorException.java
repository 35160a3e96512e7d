package io.scoreboard.operator.cli;

/**
 * Ends a command with a message for the operator: what happened, and what to do about it. The
 * CLI prints {@code problem} and {@code fix} and exits with {@code code}; no stack trace.
 */
public class OperatorException extends RuntimeException {

    private final ExitCode code;
    private final String fix;

    public OperatorException(ExitCode code, String problem, String fix) {
        this(code, problem, fix, null);
    }

    public OperatorException(ExitCode code, String problem, String fix, Throwable cause) {
        super(problem, cause);
        this.code = code;
        this.fix = fix;
    }

    public static OperatorException refused(String problem, String fix) {
        return new OperatorException(ExitCode.REFUSED, problem, fix);
    }

    public static OperatorException unreachable(String problem, String fix, Throwable cause) {
        return new OperatorException(ExitCode.UNREACHABLE, problem, fix, cause);
    }

    public ExitCode code() {
        return code;
    }

    public String fix() {
        return fix;
    }
}
