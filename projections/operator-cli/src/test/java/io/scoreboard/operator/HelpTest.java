package io.scoreboard.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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

    /** ADR 0020: how long each command waits out PostgreSQL or Kafka is in its help, with its own default. */
    @Test
    void everyCommandThatTouchesAServer_documentsItsWait_andItsDefault() {
        for (String command : List.of("verify", "rebuild", "restore-event-store", "republish", "claim-topic")) {
            Cli.Result help = Cli.run(command, "--help");
            assertThat(help.out()).as(command).contains("--wait=<duration>").contains("Waits out PostgreSQL or Kafka")
                    .containsPattern("\\(default:\\s+10m\\)");
        }
        Cli.Result status = Cli.run("status", "--help");
        assertThat(status.out()).contains("--wait=<duration>").containsPattern("\\(default:\\s+0\\)")
                .contains("UNREACHABLE");
        assertThat(Cli.run("reset-local", "--help").out()).doesNotContain("--wait");
    }

    @Test
    void aWaitThatIsNotADuration_isWrongUsage() {
        Cli.Result result = Cli.run("verify", "--wait", "soon", "--environment", "test", "--events-url", "x",
                "--read-url", "y", "--kafka", "z");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--wait").contains("30s");
    }
}
