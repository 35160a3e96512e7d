package io.scoreboard.bench;

import java.nio.file.Path;

/**
 * {@code ./scoreboard bench <scenario> [--quick]}: runs a benchmark scenario and prints its table;
 * the raw figures go to bench-results/ (git-ignored). See BENCHMARKS.md for how to read them.
 */
public final class BenchMain {

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        String scenario = args.length == 0 ? "rebuild" : args[0];
        boolean quick = java.util.Arrays.asList(args).contains("--quick");
        if (scenario.equals("commands")) {
            new CommandBenchmark(quick).report(Path.of("bench-results"));
            System.exit(0);
        }
        if (!scenario.equals("rebuild")) {
            System.err.println("error: unknown benchmark scenario '" + scenario + "'");
            System.err.println("fix:   ./scoreboard bench rebuild|commands [--quick]");
            System.exit(2);
        }
        long events = quick ? 100_000 : 1_000_000;
        int boards = quick ? 1_000 : 10_000;
        ResultTable table = new RebuildBenchmark(events, boards).run();
        table.print();
        Path file = table.writeJson(Path.of("bench-results"), "rebuild");
        System.out.println("raw figures: " + file);
        System.exit(0);
    }
}
