package io.scoreboard.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.infra.database.PostgresServer;
import io.scoreboard.infra.localstack.EmbeddedKafka;
import io.scoreboard.operator.cli.ExitCode;
import io.scoreboard.operator.source.TopicEvents;
import io.scoreboard.projections.BoardEvents;
import io.scoreboard.testsupport.TcpProxy;
import io.scoreboard.testsupport.TestKafka;
import io.scoreboard.testsupport.TestPostgres;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The CLI waits out PostgreSQL and Kafka outages and then finishes its work as if there had been none
 * (ADR 0020): against real servers, a broker stopped and started again, and a database reached through
 * a proxy that cuts every connection. Assertions are about what the stores hold afterwards, never
 * about how long anything took.
 */
class OutagesAreWaitedOutTest {

    private static final String ENV = "test";
    private static final Duration LONG_ENOUGH = Duration.ofMinutes(4);

    @Test
    void republish_startedWhileKafkaIsDown_fillsTheTopicOnceKafkaIsBack_eachEventOnce_eachBoardInOrder() throws Exception {
        EmbeddedKafka kafka = TestKafka.embedded().orElse(null);
        Assumptions.assumeTrue(kafka != null, "needs the embedded broker, to stop and start it");
        try (Installation installation = Installation.create(ENV)) {
            List<EventEnvelope> stored = storeOnly(installation, 4, 8);

            Cli.Running run;
            kafka.stop();
            try {
                run = Cli.start(installation.command("republish", "--confirm", ENV, "--wait", "4m"));
                awaitUntil(() -> run.errSoFar().contains("waiting: Kafka at " + TestKafka.bootstrapServers()));
            } finally {
                kafka.restart();
            }
            Cli.Result result = run.await(LONG_ENOUGH);

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.OK.status());
            assertThat(result.err()).contains("Ctrl-C stops").contains("giving up after 4m");
            assertEveryEventOnceInBoardOrder(readTopic(installation.topic), stored);
        }
    }

    @Test
    void restore_startedWhilePostgresIsUnreachable_refillsTheStoreOnceItIsBack_eachEventOnce() throws Exception {
        PostgresServer server = TestPostgres.server();
        try (Installation installation = Installation.create(ENV);
             TcpProxy proxy = TcpProxy.to(server.host(), server.port())) {
            List<EventEnvelope> history = installation.append(boards(3, 6).toArray(EventEnvelope[]::new));
            installation.databases.recreateEventsDatabase(); // the event store is lost; the topic has it all

            proxy.cut();
            Cli.Running run = Cli.start(viaProxy(installation.command("restore-event-store", "--from", "kafka",
                    "--confirm", ENV, "--wait", "4m"), installation, proxy));
            try {
                awaitUntil(() -> run.errSoFar().contains("waiting: PostgreSQL at 127.0.0.1:" + proxy.port()));
            } finally {
                proxy.restore();
            }
            Cli.Result result = run.await(LONG_ENOUGH);

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.OK.status());
            assertThat(storedEventIds(installation)).containsExactlyInAnyOrderElementsOf(
                    history.stream().map(e -> e.eventId().toString()).toList());
        }
    }

    @Test
    void rebuild_losingItsDatabaseConnectionsMidway_startsOverCleanly_andSwitchesInACompleteModel() throws Exception {
        PostgresServer server = TestPostgres.server();
        try (Installation installation = Installation.create(ENV);
             TcpProxy proxy = TcpProxy.to(server.host(), server.port())) {
            List<EventEnvelope> history = installation.append(boards(5, 40).toArray(EventEnvelope[]::new));

            Cli.Running run = Cli.start(viaProxy(installation.command("rebuild", "--source", "event-store",
                    "--confirm", ENV, "--wait", "4m"), installation, proxy));
            // Cut every connection once the rebuild is under way (its schema exists), then let it reconnect.
            awaitUntil(() -> run.isDone() || rebuildSchemaExists(installation));
            proxy.cut();
            try {
                awaitUntil(() -> run.isDone() || run.errSoFar().contains("waiting: PostgreSQL"));
            } finally {
                proxy.restore();
            }
            Cli.Result result = run.await(LONG_ENOUGH);

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.OK.status());
            Cli.Result verify = Cli.run(installation.command("verify"));
            assertThat(verify.exitCode()).as(verify.toString()).isEqualTo(ExitCode.OK.status());
            assertThat(installation.count(installation.databases.readJdbcUrl(),
                    "SELECT count(*) FROM scoreboards")).isEqualTo(5);
            assertThat(installation.count(installation.databases.readJdbcUrl(), "SELECT count(*) FROM "
                    + "pg_namespace WHERE nspname LIKE 'read_model_rebuild_%'")).as("no unfinished copy left").isZero();
            assertThat(history).hasSize(5 * 43);
        }
    }

    @Test
    void waitZero_givesUpAtOnce_namingTheServerAndTheFix_withoutAStackTrace() throws Exception {
        PostgresServer server = TestPostgres.server();
        try (Installation installation = Installation.create(ENV);
             TcpProxy proxy = TcpProxy.to(server.host(), server.port())) {
            proxy.cut();

            Cli.Result result = Cli.run(viaProxy(installation.command("verify", "--wait", "0"), installation, proxy));

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.UNREACHABLE.status());
            assertThat(result.err())
                    .contains("error: PostgreSQL at 127.0.0.1:" + proxy.port() + " was unreachable")
                    .contains("fix:   start PostgreSQL")
                    .contains("--events-url / --read-url")
                    .doesNotContain("waiting:")
                    .doesNotContain("\tat ")
                    .doesNotContain("Exception in");
        }
    }

    @Test
    void status_withKafkaDown_answersAtOnce_showingTheRestAndKafkaUnreachable() throws Exception {
        try (Installation installation = Installation.create(ENV)) {
            installation.append(boards(1, 2).toArray(EventEnvelope[]::new));
            String deadKafka = "127.0.0.1:" + freePort();

            Cli.Result result = Cli.run(Installation.with(installation.command("status"), "--kafka", deadKafka));

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.UNREACHABLE.status());
            assertThat(result.out())
                    .containsPattern("event store .*position [0-9,]+ +events 5")
                    .contains("UNREACHABLE: Kafka at " + deadKafka)
                    .contains("fix: start the Kafka broker");
            assertThat(result.err()).doesNotContain("waiting:");
        }
    }

    /** Boards whose events are stored only (the topic stays empty): what republish refills it from. */
    private static List<EventEnvelope> storeOnly(Installation installation, int boards, int scores) throws Exception {
        List<EventEnvelope> stored = new ArrayList<>();
        for (EventEnvelope e : boards(boards, scores)) {
            stored.add(installation.store(e));
        }
        return stored;
    }

    /** Boards' histories, interleaved across boards as concurrent writers would store them. */
    private static List<EventEnvelope> boards(int count, int scoresPerBoard) {
        List<List<EventEnvelope>> histories = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            BoardEvents board = new BoardEvents();
            List<EventEnvelope> history = new ArrayList<>(List.of(
                    board.created("Board " + b, ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD),
                    board.added("Ann"), board.added("Bob")));
            for (int s = 1; s <= scoresPerBoard; s++) {
                history.add(board.scoreSet(s % 2 == 0 ? "Ann" : "Bob", Integer.toString(s)));
            }
            histories.add(history);
        }
        List<EventEnvelope> interleaved = new ArrayList<>();
        while (histories.stream().anyMatch(h -> !h.isEmpty())) {
            histories.stream().filter(h -> !h.isEmpty()).forEach(h -> interleaved.add(h.remove(0)));
        }
        return interleaved;
    }

    private static void assertEveryEventOnceInBoardOrder(List<EventEnvelope> topic, List<EventEnvelope> stored) {
        assertThat(topic.stream().map(EventEnvelope::eventId).toList())
                .containsExactlyInAnyOrderElementsOf(stored.stream().map(EventEnvelope::eventId).toList());
        Map<UUID, Long> next = new HashMap<>();
        for (EventEnvelope e : topic) {
            assertThat(e.sequenceNumber()).as("board " + e.scoreboardId()).isEqualTo(next.getOrDefault(e.scoreboardId(), 0L));
            next.put(e.scoreboardId(), e.sequenceNumber() + 1);
        }
    }

    /** Every record of the topic, partition by partition (a board's events share one). */
    private static List<EventEnvelope> readTopic(String topic) throws Exception {
        List<EventEnvelope> records = new ArrayList<>();
        try (TopicEvents events = new TopicEvents(TestKafka.bootstrapServers(), topic)) {
            Map<Integer, Long> end = events.endOffsets();
            Map<Integer, List<EventEnvelope>> byPartition = new HashMap<>();
            events.read(Map.of(), end, (p, o, e) -> byPartition.computeIfAbsent(p, x -> new ArrayList<>()).add(e));
            byPartition.values().forEach(records::addAll);
        }
        return records;
    }

    private static List<String> storedEventIds(Installation installation) throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(installation.databases.eventsJdbcUrl(),
                installation.databases.ownerRole().user(), installation.databases.ownerRole().password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT event_identifier FROM domain_event_entry")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    private static boolean rebuildSchemaExists(Installation installation) {
        try {
            return installation.count(installation.databases.readJdbcUrl(),
                    "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'read_model_rebuild_%'") > 0;
        } catch (Exception e) {
            return false;
        }
    }

    /** The command's database URLs pointed at the proxy. */
    private static String[] viaProxy(String[] args, Installation installation, TcpProxy proxy) {
        PostgresServer server = TestPostgres.server();
        String direct = server.host() + ":" + server.port();
        String proxied = "127.0.0.1:" + proxy.port();
        String[] result = Installation.with(args, "--events-url",
                installation.databases.eventsJdbcUrl().replace(direct, proxied));
        return Installation.with(result, "--read-url", installation.databases.readJdbcUrl().replace(direct, proxied));
    }

    private static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + LONG_ENOUGH.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the condition did not come true in " + LONG_ENOUGH);
            }
            Thread.sleep(50);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
