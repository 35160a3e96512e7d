package io.scoreboard.bench;

import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code ./scoreboard bench <scenario> [--quick]}: runs a benchmark scenario and prints its table;
 * the raw figures go to bench-results/ (git-ignored). See BENCHMARKS.md for how to read them.
 */
public final class BenchMain {

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        // The JDK keeps 5 idle connections per host by default; the query benchmark's 100 clients
        // each keep their own alive. Read once, when the first HTTP connection is made.
        System.setProperty("http.maxConnections", "1000");
        String scenario = args.length == 0 ? "rebuild" : args[0];
        boolean quick = java.util.Arrays.asList(args).contains("--quick");
        ResultTable table;
        switch (scenario) {
            case "rebuild" -> {
                long events = quick ? 100_000 : 1_000_000;
                int boards = quick ? 1_000 : 10_000;
                table = new RebuildBenchmark(events, boards).run();
            }
            case "queries" -> table = quick
                    ? new QueryBenchmark(30_000, Duration.ofSeconds(4), Duration.ofSeconds(6)).run()
                    : new QueryBenchmark(50_000, Duration.ofSeconds(10), Duration.ofSeconds(20)).run();
            case "commands" -> {
                // Prints and writes its own three tables (replicated, local, replication lag).
                new CommandBenchmark(quick).report(Path.of("bench-results"));
                System.exit(0);
                return;
            }
            // 2020: 300,000 boards; ten events each.
            case "incident" -> table = quick ? new IncidentBenchmark(30_000, 300_000).run()
                    : new IncidentBenchmark(300_000, 3_000_000).run();
            default -> {
                System.err.println("error: unknown benchmark scenario '" + scenario + "'");
                System.err.println("fix:   ./scoreboard bench rebuild|queries|incident|commands [--quick]");
                System.exit(2);
                return;
            }
        }
        table.print();
        Path file = table.writeJson(Path.of("bench-results"), scenario);
        System.out.println("raw figures: " + file);
        System.exit(0);
    }
}
