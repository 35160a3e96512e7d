package io.scoreboard.operator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command answers {@code --help} (the usage text and the runbook promise it), without touching anything. */
class HelpTest {

    @Test
    void everyCommand_answersHelp_withExitZero() {
        CommandLine cli = new CommandLine(new OperatorMain());
        assertThat(cli.getSubcommands()).isNotEmpty();
        for (String command : cli.getSubcommands().keySet()) {
            assertThat(OperatorMain.run(command, "--help")).as(command + " --help").isZero();
        }
    }
}
