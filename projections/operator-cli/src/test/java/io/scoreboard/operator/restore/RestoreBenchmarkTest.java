package io.scoreboard.operator.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.operator.cli.Console;
import io.scoreboard.operator.cli.Target;
import io.scoreboard.projections.BoardEvents;
import io.scoreboard.testsupport.TestDatabases;
import io.scoreboard.testsupport.TestKafka;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import org.postgresql.PGConnection;
import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * How fast a large topic is restored (not part of the normal build). Run with
 * {@code -Drestore.benchmark.events=1000000 -Dtest=RestoreBenchmarkTest}; it prints the rate and the
 * heap the restore needed.
 */
@EnabledIfSystemProperty(named = "restore.benchmark.events", matches = "\\d+")
class RestoreBenchmarkTest {

    private static final int EVENTS_PER_BOARD = 100;
    private static final int SEND_CHUNK = 50_000;

    @Test
    void restoresALargeTopic() throws Exception {
        long events = Long.parseLong(System.getProperty("restore.benchmark.events"));
        long boards = Math.max(1, events / EVENTS_PER_BOARD);
        EventTopic topic = EventTopic.create(3);
        long sent = 0;
        List<EventEnvelope> chunk = new ArrayList<>();
        for (long b = 0; b < boards; b++) {
            BoardEvents board = new BoardEvents();
            chunk.add(board.created("Board " + b, ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD));
            chunk.add(board.added("Ann"));
            for (int i = 2; i < EVENTS_PER_BOARD; i++) {
                chunk.add(board.scoreSet("Ann", Integer.toString(i)));
            }
            if (chunk.size() >= SEND_CHUNK || b == boards - 1) {
                sent += chunk.size();
                topic.send(chunk);
                chunk.clear();
            }
        }
        try (TestDatabases databases = TestDatabases.create()) {
            Target target = new Target(TestDatabases.ENVIRONMENT, databases.eventsJdbcUrl(), databases.readJdbcUrl(),
                    databases.ownerRole().user(), databases.ownerRole().password(), TestKafka.bootstrapServers(),
                    topic.name, Optional.empty(), "benchmark");
            Console console = new Console(System.out, System.err, false, false, new BufferedReader(new StringReader("")));
            System.gc();
            long heapBefore = usedHeap();
            ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);

            RestoreResult result = new EventStoreRestore(target, console, Clock.systemUTC())
                    .run(TestDatabases.ENVIRONMENT);

            long peakHeap = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(pool -> pool.getType() == MemoryType.HEAP)
                    .mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
            System.out.printf("restore benchmark: %,d events of %,d boards in %.1f s = %,.0f events/s; heap in use "
                            + "before %,d MB, peak during the restore at most %,d MB%n", result.events(), result.boards(),
                    result.duration().toMillis() / 1000.0, result.eventsPerSecond(), heapBefore >> 20, peakHeap >> 20);
            assertThat(result.events()).isEqualTo(sent);
            assertThat(result.boards()).isEqualTo(boards);

            double reference = rawCopyRate(databases);
            System.out.printf("reference: raw COPY of the same %,d rows into a fresh store: %,.0f rows/s; "
                    + "restore / raw COPY = %.2f%n", result.events(), reference, result.eventsPerSecond() / reference);
        }
    }

    /** The same-run reference: PostgreSQL alone loading exactly the restored rows into a fresh store. */
    private static double rawCopyRate(TestDatabases databases) throws Exception {
        Path rows = Files.createTempFile(Path.of("target"), "restore-benchmark", ".copy");
        try {
            try (Connection c = owner(databases); OutputStream out = Files.newOutputStream(rows)) {
                c.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY domain_event_entry TO STDOUT", out);
            }
            databases.recreateEventsDatabase();
            try (Connection c = owner(databases); InputStream in = Files.newInputStream(rows)) {
                c.setAutoCommit(false);
                long started = System.nanoTime();
                long copied = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY domain_event_entry FROM STDIN", in);
                c.commit();
                return copied / ((System.nanoTime() - started) / 1e9);
            }
        } finally {
            Files.deleteIfExists(rows);
        }
    }

    private static Connection owner(TestDatabases databases) throws Exception {
        return DriverManager.getConnection(databases.eventsJdbcUrl(), databases.ownerRole().user(),
                databases.ownerRole().password());
    }

    private static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
