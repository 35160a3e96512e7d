package io.scoreboard.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code ./scoreboard bench [scenario …] [--quick]}: runs the named scenarios, or all six, prints one
 * table per measurement and, after several, a summary of every figure that has a target. The raw
 * figures go to bench-results/ (git-ignored). See BENCHMARKS.md for how to read them.
 */
public final class BenchMain {

    /** In the order a full run takes them: the short ones first, so a broken setup shows early. */
    static final List<String> SCENARIOS = List.of("rebuild", "queries", "live", "commands", "abuse",
            "incident");

    private BenchMain() {}

    /** A table and the name its raw figures are written under. */
    private record Named(String name, ResultTable table) {}

    public static void main(String[] args) throws Exception {
        // The JDK keeps 5 idle connections per host by default; the query benchmark's 100 clients
        // each keep their own alive. Read once, when the first HTTP connection is made.
        System.setProperty("http.maxConnections", "1000");
        boolean quick = Arrays.asList(args).contains("--quick");
        List<String> named = Arrays.stream(args).filter(a -> !a.startsWith("--")).toList();
        for (String scenario : named) {
            if (!SCENARIOS.contains(scenario)) {
                System.err.println("error: unknown benchmark scenario '" + scenario + "'");
                System.err.println("fix:   ./scoreboard bench [" + String.join("|", SCENARIOS) + " …] [--quick]"
                        + " (no scenario: all of them)");
                System.exit(2);
                return;
            }
        }
        List<String> scenarios = named.isEmpty() ? SCENARIOS : named;
        long start = System.nanoTime();
        List<ResultTable> all = new ArrayList<>();
        for (String scenario : scenarios) {
            for (Named result : run(scenario, quick)) {
                result.table().print();
                System.out.println("raw figures: " + result.table().writeJson(Path.of("bench-results"), result.name()));
                all.add(result.table());
            }
        }
        if (scenarios.size() > 1) {
            ResultTable.printSummary(all, Duration.ofNanos(System.nanoTime() - start));
        }
        // Kafka and HTTP clients leave non-daemon threads behind.
        System.exit(0);
    }

    /** --quick checks the harness end to end in seconds per scenario; its figures are not for comparing. */
    private static List<Named> run(String scenario, boolean quick) throws Exception {
        return switch (scenario) {
            case "rebuild" -> List.of(new Named("rebuild", quick
                    ? new RebuildBenchmark(50_000, 500).run()
                    : new RebuildBenchmark(1_000_000, 10_000).run()));
            case "queries" -> List.of(new Named("queries", quick
                    ? new QueryBenchmark(20_000, Duration.ofSeconds(2), Duration.ofSeconds(4)).run()
                    : new QueryBenchmark(50_000, Duration.ofSeconds(10), Duration.ofSeconds(20)).run()));
            case "commands" -> {
                List<ResultTable> tables = new CommandBenchmark(quick).run();
                List<Named> result = new ArrayList<>();
                for (int i = 0; i < tables.size(); i++) {
                    result.add(new Named(CommandBenchmark.TABLE_NAMES.get(i), tables.get(i)));
                }
                yield result;
            }
            case "live" -> List.of(new Named("live", new LiveBenchmark(quick).run()));
            case "abuse" -> List.of(new Named("abuse", new AbuseBenchmark(quick).run()));
            // 2020: 300,000 boards; ten events each.
            case "incident" -> List.of(new Named("incident", quick
                    ? new IncidentBenchmark(10_000, 100_000).run()
                    : new IncidentBenchmark(300_000, 3_000_000).run()));
            default -> throw new IllegalArgumentException(scenario);
        };
    }
}
