package io.scoreboard.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoreboard.operator.Cli;
import io.scoreboard.operator.Installation;
import io.scoreboard.startup.EnvironmentVariables;
import io.scoreboard.testsupport.TestDatabases;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * In production (--production, SCOREBOARD_PRODUCTION=true) the CLI refuses the real single embedded broker's topic
 * (one replica, the broker's default min.insync.replicas of 1) before a command runs; a report warns; an
 * installation not marked production uses the same topic (ADR 0034).
 */
class ProductionTopicTest {

    private Installation installation;

    @BeforeEach
    void anInstallation() {
        installation = Installation.create(TestDatabases.ENVIRONMENT);
    }

    @AfterEach
    void drop() {
        installation.close();
    }

    @Test
    void aChangingCommand_refusesTheSingleReplicaTopic_inProduction() {
        Cli.Result result = Cli.run(installation.command("rebuild", "--source", "kafka", "--confirm",
                TestDatabases.ENVIRONMENT, "--production"));

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.REFUSED.status());
        assertThat(result.err()).contains("in production").contains("has 1 replica, production needs at least 3")
                .contains("min.insync.replicas is 1 (the brokers' default")
                .contains("min.insync.replicas=2").contains("--production / SCOREBOARD_PRODUCTION");
    }

    @Test
    void theSameCommand_runs_whenNotProduction() {
        Cli.Result result = Cli.run(installation.command("rebuild", "--source", "kafka", "--confirm",
                TestDatabases.ENVIRONMENT));

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.OK.status());
    }

    @Test
    void status_warnsInProduction_andStillReports() {
        Cli.Result result = Cli.run(installation.command("status", "--production"));

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.OK.status());
        assertThat(result.err()).contains("in production").contains("production needs at least 3");
    }

    @Test
    void republish_refusesToCreateAnUnsafeTopic_inProduction() {
        String missing = installation.topic + "-recreated";
        Cli.Result result = Cli.run(Installation.with(installation.command("republish", "--confirm",
                TestDatabases.ENVIRONMENT, "--production"), "--topic", missing));

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.REFUSED.status());
        assertThat(result.err()).contains("--replication-factor is 1, production needs at least 3")
                .contains("--replication-factor 3 --min-insync-replicas 2");
    }

    @Test
    void productionIsAlsoMarkedByTheVariable() {
        TargetOptions options = new TargetOptions();
        options.environment = "prod";
        options.eventsUrl = "jdbc:postgresql://db/events";
        options.readUrl = "jdbc:postgresql://db/read";
        options.kafka = "kafka:9092";
        options.stack = null;
        assertThat(options.resolve(Map.of(EnvironmentVariables.PRODUCTION, "true")).production()).isTrue();
        assertThat(options.resolve(Map.of()).production()).isFalse();
        assertThat(options.resolve(Map.of(EnvironmentVariables.PRODUCTION, "false")).production()).isFalse();
    }
}
