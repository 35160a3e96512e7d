package io.scoreboard.operator;

import io.scoreboard.operator.claim.ClaimTopicCommand;
import io.scoreboard.operator.cli.ExitCode;
import io.scoreboard.operator.cli.OperatorCommand;
import io.scoreboard.operator.cli.WaitBound;
import io.scoreboard.operator.rebuild.RebuildCommand;
import io.scoreboard.operator.republish.RepublishCommand;
import io.scoreboard.operator.reset.ResetLocalCommand;
import io.scoreboard.operator.restore.RestoreEventStoreCommand;
import io.scoreboard.operator.status.StatusCommand;
import io.scoreboard.operator.verify.VerifyCommand;
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
                StatusCommand.class,
                VerifyCommand.class,
                RebuildCommand.class,
                RestoreEventStoreCommand.class,
                RepublishCommand.class,
                ClaimTopicCommand.class,
                ResetLocalCommand.class,
        })
public final class OperatorMain {

    public static void main(String[] args) {
        // Before anything logs: our own configuration by name (the local-stack jar on the class path
        // brings another logback.xml, and logback would print a warning about the pair on stdout,
        // where --json output must stay one clean document).
        System.setProperty("logback.configurationFile", "operator-cli-logback.xml");
        System.setProperty("logback.statusListenerClass", "ch.qos.logback.core.status.NopStatusListener");
        System.exit(run(args));
    }

    /** Runs one command and returns its exit status (tests call this). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new OperatorMain());
        // Each command's own default for --wait (shown in its --help): the long changing commands wait.
        cli.setDefaultValueProvider(arg -> arg.isOption() && "--wait".equals(((CommandLine.Model.OptionSpec) arg).longestName())
                && arg.command() != null && arg.command().userObject() instanceof OperatorCommand command
                ? WaitBound.format(command.defaultWait()) : null);
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
