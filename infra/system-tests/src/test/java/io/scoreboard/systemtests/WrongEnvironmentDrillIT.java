package io.scoreboard.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoreboard.operator.reset.LocalStackData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Disaster drill 4, the incident itself: an operator tool configured for {@code dev} pointed at a
 * {@code prod} database refuses, names both environments and changes nothing (no rows, no schema,
 * no topic); reset-local refuses anything that is not a stopped local stack holding dev data.
 */
class WrongEnvironmentDrillIT {

    /**
     * What a command needs besides the connection settings to get as far as its environment check.
     * A new command that needs more fails this drill until it is listed here: every command is drilled.
     */
    private static final Map<String, List<String>> REQUIRED_OPTIONS = Map.of(
            "restore-event-store", List.of("--from", "kafka"),
            "rebuild", List.of("--source", "kafka"));

    /** ExitCode.REFUSED: refused on purpose, nothing changed. */
    private static final int REFUSED = 3;

    private static RunningSystem prod;

    @BeforeAll
    static void productionDatabases() throws Exception {
        prod = RunningSystem.startInfrastructureOnly("WrongEnvironmentDrillIT", "prod");
        // Production's topic, so that the drill can end with production's own verify agreeing.
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, prod.bootstrapServers))) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(prod.topic, 3, (short) 1)
                    .configs(Map.of("retention.ms", "-1", "retention.bytes", "-1")))).all().get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void drop() {
        if (prod != null) {
            prod.close();
        }
    }

    @Test
    void everyOperatorCommand_configuredForDev_refusesProdDatabases_andChangesNothing() throws Exception {
        List<String> commands = commands();
        assertThat(commands).contains("status", "verify", "reset-local");
        String before = everythingThatCouldChange();

        for (String command : commands) {
            List<String> args = new ArrayList<>(List.of(command, "--environment", "dev",
                    "--events-url", prod.databases.eventsJdbcUrl(), "--read-url", prod.databases.readJdbcUrl(),
                    "--db-user", prod.databases.ownerRole().user(), "--db-password", prod.databases.ownerRole().password(),
                    "--kafka", prod.bootstrapServers, "--topic", prod.topic));
            if (cli(command, "--help").out().contains("--confirm")) {
                args.addAll(List.of("--confirm", "dev"));
            }
            args.addAll(REQUIRED_OPTIONS.getOrDefault(command, List.of()));

            OperatorCliProcess.Result result = cli(args.toArray(String[]::new));

            assertThat(result.exitCode()).as(command + ": " + result).isEqualTo(REFUSED);
            assertThat(result.err()).as(command).contains("belongs to environment 'prod'")
                    .contains("configured for 'dev'").contains("Nothing was changed");
            assertThat(everythingThatCouldChange()).as("after " + command).isEqualTo(before);
        }
        // Configured for what they are, the same tools find production intact: store, topic and read model agree.
        OperatorCliProcess.Result verify = OperatorCliProcess.runAs("prod", prod, "verify");
        assertThat(verify.exitCode()).as(verify.all()).isZero();
        assertThat(verify.out()).contains("RESULT: OK");
    }

    @Test
    void resetLocal_refusesAStackJsonPointingAtAnExistingProdDatabase() throws Exception {
        Path dir = LocalStackData.onExistingPostgres(prod.databases.server(), prod.databases.eventsDatabase(),
                prod.databases.readDatabase(), prod.databases.ownerRole().password());
        String before = everythingThatCouldChange();

        OperatorCliProcess.Result result = cli("reset-local", "--stack", dir.resolve("stack.json").toString(), "--confirm", "dev");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(REFUSED);
        assertThat(result.err()).contains("belongs to environment 'prod'").contains("configured for 'dev'");
        assertThat(dir.resolve("stack.json")).exists();
        assertThat(everythingThatCouldChange()).isEqualTo(before);
    }

    @Test
    void resetLocal_refusesALocalStackHoldingProdData_whateverIsConfirmed() throws Exception {
        Path dir = LocalStackData.create("prod");
        String stack = dir.resolve("stack.json").toString();
        List<String> files = files(dir);

        OperatorCliProcess.Result confirmedDev = cli("reset-local", "--stack", stack, "--confirm", "dev");
        OperatorCliProcess.Result confirmedProd = cli("reset-local", "--stack", stack, "--confirm", "prod");
        OperatorCliProcess.Result configuredProd = cli("reset-local", "--stack", stack, "--environment", "prod", "--confirm", "prod");

        assertThat(confirmedDev.exitCode()).as(confirmedDev.toString()).isEqualTo(REFUSED);
        assertThat(confirmedDev.err()).contains("belongs to environment 'prod'").contains("only deletes 'dev'");
        assertThat(confirmedProd.exitCode()).isEqualTo(REFUSED);
        assertThat(confirmedProd.err()).contains("--confirm prod does not match 'dev'");
        assertThat(configuredProd.exitCode()).isEqualTo(REFUSED);
        assertThat(configuredProd.err()).contains("only for environment 'dev'").contains("configured for 'prod'");
        assertThat(files(dir)).containsAll(files);
    }

    /** The operator commands, as the CLI's own help lists them. */
    private static List<String> commands() throws Exception {
        String help = cli("--help").out();
        List<String> commands = new ArrayList<>();
        boolean listing = false;
        for (String line : help.split("\n")) {
            if (line.startsWith("Commands:")) {
                listing = true;
            } else if (listing && line.matches("^  [a-z][a-z-]*\\b.*")) {
                commands.add(line.trim().split("\\s+")[0]);
            }
        }
        return commands;
    }

    /** Runs {@code ./scoreboard <args>} as its own JVM, with no SCOREBOARD_* settings and no stack.json around. */
    private static OperatorCliProcess.Result cli(String... args) {
        return OperatorCliProcess.exec(List.of(args));
    }

    /** Rows, tables and schemas of both prod databases and the topic's existence, as one comparable text. */
    private static String everythingThatCouldChange() throws Exception {
        StringBuilder state = new StringBuilder();
        for (String url : List.of(prod.databases.eventsJdbcUrl(), prod.databases.readJdbcUrl())) {
            state.append(query(url, "SELECT string_agg(table_schema || '.' || table_name, ',' ORDER BY 1) "
                    + "FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"));
            state.append(query(url, "SELECT string_agg(nspname, ',' ORDER BY 1) FROM pg_namespace"));
        }
        state.append(query(prod.databases.eventsJdbcUrl(), "SELECT count(*)::text FROM domain_event_entry"));
        state.append(query(prod.databases.eventsJdbcUrl(), "SELECT count(*)::text FROM token_entry"));
        state.append(query(prod.databases.readJdbcUrl(), "SELECT count(*)::text FROM projection_checkpoints"));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, prod.bootstrapServers))) {
            state.append(" topic exists: ").append(admin.listTopics().names().get().contains(prod.topic));
        }
        return state.toString();
    }

    private static String query(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, prod.databases.ownerRole().user(),
                prod.databases.ownerRole().password()); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return " " + rs.getString(1);
        }
    }

    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.map(p -> dir.relativize(p).toString()).filter(p -> !p.contains("pg_") && !p.contains("postmaster"))
                    .sorted().toList();
        }
    }
}
