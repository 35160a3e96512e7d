package io.scoreboard.operator.cli;

/** What a script can tell from the exit status alone (documented in docs/runbook.md). */
public enum ExitCode {
    /** Done; for {@code verify}: everything agrees. */
    OK(0),
    /** The command ran and found a difference ({@code verify}) or could not finish its work. */
    FAILED(1),
    /** Wrong usage: unknown command or option, bad value. Nothing was touched. */
    USAGE(2),
    /** Refused on purpose: wrong environment, missing --confirm, a target that is not empty. Nothing changed. */
    REFUSED(3),
    /** A database or the Kafka broker could not be reached. Nothing changed that was not committed. */
    UNREACHABLE(4);

    private final int status;

    ExitCode(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }
}
