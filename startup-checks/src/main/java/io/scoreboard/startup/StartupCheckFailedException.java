package io.scoreboard.startup;

/**
 * The service cannot start as configured. {@link #setting()} names what to change and
 * {@link #fix()} says how, so the operator does not have to read a stack trace.
 */
public class StartupCheckFailedException extends RuntimeException {

    private final String setting;
    private final String fix;

    public StartupCheckFailedException(String problem, String setting, String fix, Throwable cause) {
        super(problem, cause);
        this.setting = setting;
        this.fix = fix;
    }

    public String setting() {
        return setting;
    }

    public String fix() {
        return fix;
    }
}
