package io.scoreboard.operator;

import io.scoreboard.operator.cli.ExitCode;
import io.scoreboard.operator.restore.RestoreEventStoreCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ./scoreboard <command>}: the operator's tools. Every command names what it will touch,
 * refuses a database of another environment, and asks for {@code --confirm <env>} before any step
 * that changes something; exit codes are in {@link ExitCode} and docs/runbook.md.
 */
@Command(name = "scoreboard", mixinStandardHelpOptions = true, version = "scoreboard operator CLI 0.1",
        description = "Status, verification and recovery of a Scoreboard installation.",
        subcommands = {
                RestoreEventStoreCommand.class,
        })
public final class OperatorMain {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs one command and returns its exit status (tests call this). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new OperatorMain());
        cli.setExitCodeExceptionMapper(e -> ExitCode.USAGE.status());
        cli.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("error: " + e.getMessage());
            e.getCommandLine().getErr().println("fix:   see '" + e.getCommandLine().getCommandSpec().qualifiedName()
                    + " --help'");
            return ExitCode.USAGE.status();
        });
        return cli.execute(args);
    }
}
