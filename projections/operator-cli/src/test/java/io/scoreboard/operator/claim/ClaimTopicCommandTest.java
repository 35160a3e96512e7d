package io.scoreboard.operator.claim;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.operator.Cli;
import io.scoreboard.operator.Installation;
import io.scoreboard.operator.cli.ExitCode;
import io.scoreboard.projections.BoardEvents;
import io.scoreboard.startup.TopicEnvironment;
import io.scoreboard.testsupport.TestDatabases;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A topic from before topics recorded their environment (ADR 0017): holds events, records none.
 * The changing commands refuse it, naming claim-topic; claim-topic records it only for the
 * environment whose databases show the events are its own.
 */
class ClaimTopicCommandTest {

    private Installation installation;

    @BeforeEach
    void anInstallationWhoseTopicRecordsNoEnvironment() throws Exception {
        installation = Installation.create(TestDatabases.ENVIRONMENT);
        BoardEvents board = new BoardEvents();
        installation.append(board.created("Quiz", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD), board.added("Ann"),
                board.scoreSet("Ann", "5"));
        try (var admin = Installation.admin()) { // as an installation from before this change has it
            admin.deleteTopics(List.of(TopicEnvironment.identityTopic(installation.topic))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterEach
    void drop() {
        installation.close();
    }

    @Test
    void theChangingCommandsRefuseIt_namingClaimTopic_statusReportsIt() {
        for (String[] command : List.of(installation.command("rebuild", "--source", "kafka", "--confirm", "test"),
                installation.command("restore-event-store", "--from", "kafka", "--confirm", "test"),
                installation.command("republish", "--into-non-empty", "--confirm", "test"))) {
            Cli.Result refused = Cli.run(command);

            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCode.REFUSED.status());
            assertThat(refused.err()).contains("holds 3 records but records no environment")
                    .contains("./scoreboard claim-topic --environment test --confirm test");
        }
        Cli.Result status = Cli.run(installation.command("status"));
        assertThat(status.exitCode()).as(status.toString()).isEqualTo(ExitCode.OK.status());
        assertThat(status.err()).contains("records no environment").contains("claim-topic");
    }

    @Test
    void isRecordedOnlyForTheEnvironmentWhoseEventStoreHoldsItsEvents() throws Exception {
        try (Installation stranger = Installation.create(TestDatabases.ENVIRONMENT)) {
            Cli.Result notOurs = Cli.run(Installation.with(Installation.with(installation.command("claim-topic",
                    "--confirm", "test"), "--events-url", stranger.databases.eventsJdbcUrl()), "--read-url",
                    stranger.databases.readJdbcUrl()));

            assertThat(notOurs.exitCode()).as(notOurs.toString()).isEqualTo(ExitCode.REFUSED.status());
            assertThat(notOurs.err()).contains("cannot be shown to be environment 'test'").contains("Nothing was changed");
        }
        Cli.Result unconfirmed = Cli.run(installation.command("claim-topic"));
        assertThat(unconfirmed.exitCode()).as(unconfirmed.toString()).isEqualTo(ExitCode.REFUSED.status());
        assertThat(Cli.run(installation.command("rebuild", "--source", "kafka", "--confirm", "test")).exitCode())
                .as("still unrecorded").isEqualTo(ExitCode.REFUSED.status());

        Cli.Result claimed = Cli.run(installation.command("claim-topic", "--confirm", "test"));

        assertThat(claimed.exitCode()).as(claimed.toString()).isEqualTo(ExitCode.OK.status());
        assertThat(claimed.out()).contains("the first event of each of its").contains("Recorded: topic '"
                + installation.topic + "' belongs to environment 'test'");
        Cli.Result rebuilt = Cli.run(installation.command("rebuild", "--source", "kafka", "--confirm", "test"));
        assertThat(rebuilt.exitCode()).as(rebuilt.toString()).isEqualTo(ExitCode.OK.status());
        Cli.Result again = Cli.run(installation.command("claim-topic", "--confirm", "test"));
        assertThat(again.out()).contains("already belongs to environment 'test'");
        Cli.Result prodClaim = Cli.run(prepend("claim-topic", installation.args("prod", "--confirm", "prod")));
        assertThat(prodClaim.exitCode()).as(prodClaim.toString()).isEqualTo(ExitCode.REFUSED.status());
        assertThat(prodClaim.err()).contains("belongs to environment 'test'").contains("configured for 'prod'");
    }

    private static String[] prepend(String command, String[] args) {
        String[] result = new String[args.length + 1];
        result[0] = command;
        System.arraycopy(args, 0, result, 1, args.length);
        return result;
    }
}
