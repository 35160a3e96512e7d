package io.scoreboard.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoreboard.operator.reset.LocalStackData;
import io.scoreboard.startup.TopicEnvironment;
import io.scoreboard.startup.TopicEnvironmentCheck;
import io.scoreboard.testsupport.TestKafka;
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
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Disaster drill 4, the incident itself: an operator tool configured for {@code dev} pointed at a
 * {@code prod} database refuses, names both environments and changes nothing (no rows, no schema,
 * no topic); the same for a topic of another environment with the tool's own databases (ADR 0017);
 * reset-local refuses anything that is not a stopped local stack holding dev data.
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

    /** Commands that never touch Kafka: they refuse for their own reasons, and must change nothing either. */
    private static final Set<String> WITHOUT_KAFKA = Set.of("reset-local");

    private static RunningSystem prod;
    /** dev's own databases, one stored event in them (republish would send it), and dev's recorded topic. */
    private static RunningSystem dev;
    /** A topic recorded as prod's, besides prod.topic (which records nothing, so the database checks are what refuse). */
    private static String prodRecordedTopic;

    @BeforeAll
    static void productionDatabases() throws Exception {
        prod = RunningSystem.startInfrastructureOnly("WrongEnvironmentDrillIT", "prod");
        dev = RunningSystem.startInfrastructureOnly("WrongEnvironmentDrillIT-dev", "dev");
        prodRecordedTopic = TestKafka.uniqueTopic("prod-recorded");
        // Production's topic, so that the drill can end with production's own verify agreeing.
        createTopic(prod.topic);
        createTopic(prodRecordedTopic);
        recordTopic(prodRecordedTopic, "prod");
        createTopic(dev.topic);
        recordTopic(dev.topic, "dev");
        try (Connection c = DriverManager.getConnection(dev.databases.eventsJdbcUrl(), dev.databases.ownerRole().user(),
                dev.databases.ownerRole().password()); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, "
                    + "type, time_stamp, payload_type, payload_revision, payload) VALUES ('" + UUID.randomUUID()
                    + "', '" + UUID.randomUUID() + "', 0, 'Scoreboard', '2026-01-01T00:00:00Z', 'ScoreboardRenamed', "
                    + "'1', '{}')");
        }
    }

    private static void createTopic(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, prod.bootstrapServers))) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 3, (short) 1)
                    .configs(Map.of("retention.ms", "-1", "retention.bytes", "-1")))).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** What the first service of an environment does with a new topic (ADR 0017). */
    private static void recordTopic(String topic, String environment) {
        try (TopicEnvironmentCheck identity = TopicEnvironmentCheck.open(prod.bootstrapServers, topic,
                TopicEnvironment.Settings.SERVICE)) {
            identity.claim(environment);
        }
    }

    @AfterAll
    static void drop() {
        if (prod != null) {
            prod.close();
        }
        if (dev != null) {
            dev.close();
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

    /**
     * The 2020 failure moved to Kafka: a tool with its own environment's databases, pointed at another
     * environment's topic. Both ways round: dev databases and a prod topic, prod databases and a dev topic.
     */
    @Test
    void everyOperatorCommand_withItsOwnDatabases_refusesATopicOfAnotherEnvironment_andChangesNothing() throws Exception {
        List<String> commands = commands();
        assertThat(commands).contains("status", "verify", "rebuild", "restore-event-store", "republish", "claim-topic");
        for (boolean devAgainstProd : List.of(true, false)) {
            RunningSystem own = devAgainstProd ? dev : prod;
            String configured = own.databases.environment();
            String topic = devAgainstProd ? prodRecordedTopic : dev.topic;
            String owner = devAgainstProd ? "prod" : "dev";
            String before = everythingThatCouldChange(own, topic);

            for (String command : commands) {
                List<String> args = new ArrayList<>(List.of(command, "--environment", configured,
                        "--events-url", own.databases.eventsJdbcUrl(), "--read-url", own.databases.readJdbcUrl(),
                        "--db-user", own.databases.ownerRole().user(), "--db-password", own.databases.ownerRole().password(),
                        "--kafka", own.bootstrapServers, "--topic", topic));
                if (cli(command, "--help").out().contains("--confirm")) {
                    args.addAll(List.of("--confirm", configured));
                }
                args.addAll(REQUIRED_OPTIONS.getOrDefault(command, List.of()));

                OperatorCliProcess.Result result = cli(args.toArray(String[]::new));

                String what = command + " configured for " + configured + " against " + owner + "'s topic";
                assertThat(result.exitCode()).as(what + ": " + result).isEqualTo(REFUSED);
                assertThat(result.err()).as(what).contains("Nothing was changed");
                if (!WITHOUT_KAFKA.contains(command)) {
                    assertThat(result.err()).as(what).contains("Kafka topic '" + topic + "'")
                            .contains("belongs to environment '" + owner + "'")
                            .contains("configured for '" + configured + "'");
                }
                assertThat(everythingThatCouldChange(own, topic)).as("after " + what).isEqualTo(before);
            }
        }
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
        return everythingThatCouldChange(prod, prod.topic);
    }

    /**
     * Rows, tables and schemas of the system's databases; the topic's existence, and the end offsets of it
     * and of its identity topic (records sent or claims written), as one comparable text.
     */
    private static String everythingThatCouldChange(RunningSystem system, String topic) throws Exception {
        StringBuilder state = new StringBuilder();
        for (String url : List.of(system.databases.eventsJdbcUrl(), system.databases.readJdbcUrl())) {
            state.append(query(system, url, "SELECT string_agg(table_schema || '.' || table_name, ',' ORDER BY 1) "
                    + "FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"));
            state.append(query(system, url, "SELECT string_agg(nspname, ',' ORDER BY 1) FROM pg_namespace"));
        }
        state.append(query(system, system.databases.eventsJdbcUrl(), "SELECT count(*)::text FROM domain_event_entry"));
        state.append(query(system, system.databases.eventsJdbcUrl(), "SELECT count(*)::text FROM token_entry"));
        state.append(query(system, system.databases.readJdbcUrl(), "SELECT count(*)::text FROM projection_checkpoints"));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, system.bootstrapServers))) {
            state.append(" topic exists: ").append(admin.listTopics().names().get().contains(topic));
            for (String name : List.of(topic, TopicEnvironment.identityTopic(topic))) {
                state.append(' ').append(name).append(": ").append(endOffsets(admin, name));
            }
        }
        return state.toString();
    }

    /** Partition → end offset, or "missing". */
    private static String endOffsets(Admin admin, String topic) throws Exception {
        if (!admin.listTopics().names().get().contains(topic)) {
            return "missing";
        }
        Map<TopicPartition, OffsetSpec> latest = new TreeMap<>(java.util.Comparator.comparing(TopicPartition::toString));
        admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        Map<String, Long> ends = new TreeMap<>();
        admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp.toString(), info.offset()));
        return ends.toString();
    }

    private static String query(String url, String sql) throws SQLException {
        return query(prod, url, sql);
    }

    private static String query(RunningSystem system, String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, system.databases.ownerRole().user(),
                system.databases.ownerRole().password()); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
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
