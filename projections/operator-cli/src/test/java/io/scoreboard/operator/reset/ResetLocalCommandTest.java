package io.scoreboard.operator.reset;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoreboard.infra.localstack.EmbeddedPostgres;
import io.scoreboard.infra.localstack.Ports;
import io.scoreboard.infra.localstack.PostgresBinaries;
import io.scoreboard.operator.Cli;
import io.scoreboard.operator.cli.ExitCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ResetLocalCommandTest {

    @Test
    void aStoppedDevStack_isDeleted_onlyWithConfirmDev_andNothingBesideIt() throws IOException {
        Path dir = LocalStackData.create("dev");
        Path sibling = Files.writeString(dir.getParent().resolve("keep.txt"), "not the stack's");
        String stack = dir.resolve("stack.json").toString();
        List<String> before = files(dir);
        Path real = dir.toRealPath();

        Cli.Result noConfirm = Cli.run("reset-local", "--stack", stack);
        assertThat(noConfirm.exitCode()).as(noConfirm.toString()).isEqualTo(ExitCode.REFUSED.status());
        assertThat(noConfirm.err()).contains("add --confirm dev");
        Cli.Result wrongConfirm = Cli.run("reset-local", "--stack", stack, "--confirm", "prod");
        assertThat(wrongConfirm.exitCode()).isEqualTo(ExitCode.REFUSED.status());
        assertThat(wrongConfirm.err()).contains("--confirm prod does not match 'dev'");
        assertThat(files(dir)).isEqualTo(before);

        Cli.Result done = Cli.run("reset-local", "--stack", stack, "--confirm", "dev");

        assertThat(done.exitCode()).as(done.toString()).isEqualTo(ExitCode.OK.status());
        assertThat(done.out()).contains("Deleted " + real);
        assertThat(dir).doesNotExist();
        assertThat(sibling).hasContent("not the stack's");
    }

    @Test
    void aRunningStack_isRefused() throws IOException {
        Path dir = LocalStackData.create("dev");
        List<String> before;
        Cli.Result result;
        try (EmbeddedPostgres running = EmbeddedPostgres.start(dir.resolve("postgres"), Ports.findFree(),
                PostgresBinaries.bundled())) {
            before = files(dir);
            result = Cli.run("reset-local", "--stack", dir.resolve("stack.json").toString(), "--confirm", "dev");
        }
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.REFUSED.status());
        assertThat(result.err()).contains("is still running").contains("Ctrl-C");
        assertThat(files(dir)).containsAll(before);
    }

    @Test
    void aLocalDirectoryHoldingProdData_isRefused_namingBothEnvironments() throws IOException {
        Path dir = LocalStackData.create("prod");
        List<String> before = files(dir);

        Cli.Result result = Cli.run("reset-local", "--stack", dir.resolve("stack.json").toString(), "--confirm", "dev");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.REFUSED.status());
        assertThat(result.err()).contains("belongs to environment 'prod'").contains("only deletes 'dev'")
                .contains("Nothing was changed");
        assertThat(files(dir)).containsAll(before);
    }

    @Test
    void aDirectoryThatHoldsMoreThanTheStack_isRefused() throws IOException {
        Path dir = LocalStackData.newDirectory();
        Files.writeString(dir.resolve("stack.json"), "{\"environment\":\"dev\",\"postgres\":{\"embedded\":true,"
                + "\"databases\":{\"eventsUrl\":\"jdbc:postgresql://127.0.0.1:1/e\",\"readUrl\":\"jdbc:postgresql://127.0.0.1:1/r\"}},"
                + "\"kafka\":{\"bootstrapServers\":\"127.0.0.1:9\"}}");
        Files.createDirectories(dir.resolve("postgres").resolve("data"));
        Files.writeString(dir.resolve("postgres").resolve("data").resolve("PG_VERSION"), "17");
        Files.writeString(dir.resolve("thesis.tex"), "years of work");

        Cli.Result result = Cli.run("reset-local", "--stack", dir.resolve("stack.json").toString(), "--confirm", "dev");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.REFUSED.status());
        assertThat(result.err()).contains("[thesis.tex]");
        assertThat(dir.resolve("thesis.tex")).hasContent("years of work");
    }

    @Test
    void aStackJsonOutsideADotScoreboardDirectory_isRefused() throws IOException {
        Path dir = Files.createDirectories(LocalStackData.newDirectory().getParent().resolve("home"));
        Files.writeString(dir.resolve("stack.json"), "{\"environment\":\"dev\",\"postgres\":{\"embedded\":true,"
                + "\"databases\":{\"eventsUrl\":\"jdbc:postgresql://127.0.0.1:1/e\",\"readUrl\":\"jdbc:postgresql://127.0.0.1:1/r\"}},"
                + "\"kafka\":{\"bootstrapServers\":\"127.0.0.1:9\"}}");

        Cli.Result result = Cli.run("reset-local", "--stack", dir.resolve("stack.json").toString(), "--confirm", "dev");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.REFUSED.status());
        assertThat(result.err()).contains("is not a local stack's .scoreboard directory");
        assertThat(dir.resolve("stack.json")).exists();
    }

    @Test
    void withoutAStackJson_isRefused() {
        Cli.Result result = Cli.run("reset-local", "--environment", "dev", "--events-url", "jdbc:postgresql://127.0.0.1:1/e",
                "--read-url", "jdbc:postgresql://127.0.0.1:1/r", "--kafka", "127.0.0.1:9", "--confirm", "dev");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.REFUSED.status());
        assertThat(result.err()).contains("do not come from a local stack's stack.json");
    }

    static List<String> files(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.map(p -> dir.relativize(p).toString()).filter(p -> !p.contains("postmaster") && !p.contains("pg_"))
                    .sorted().toList();
        }
    }
}
