package io.scoreboard.infra.localstack;

import io.scoreboard.infra.localstack.up.LocalStack;
import io.scoreboard.infra.localstack.up.StackSettings;
import io.scoreboard.infra.localstack.up.StackShutdown;
import io.scoreboard.infra.localstack.up.StackTopology;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Entry point of {@code ./scoreboard up} (the whole system on this machine, in the foreground) and of
 * {@code ./scoreboard down} (stops what a running {@code up} started).
 */
public final class LocalStackMain {

    private static final String USAGE = "usage: ./scoreboard up [--cluster] [--recovery] | ./scoreboard down";

    private LocalStackMain() {}

    public static void main(String[] args) {
        List<String> options = args.length == 0 ? List.of() : List.of(args).subList(1, args.length);
        String command = args.length == 0 ? "" : args[0];
        boolean valid = switch (command) {
            case "up" -> Set.of("--cluster", "--recovery").containsAll(options)
                    && Set.copyOf(options).size() == options.size();
            case "down" -> options.isEmpty();
            default -> false;
        };
        if (!valid) {
            System.err.println(USAGE);
            System.exit(2);
        }
        Path root = Path.of("").toAbsolutePath();
        try {
            StackSettings settings = StackSettings.fromEnvironment(root, System.getenv());
            if (command.equals("down")) {
                System.exit(StackShutdown.stop(settings.dataDir(), System.out));
            }
            StackTopology topology = options.contains("--cluster") ? StackTopology.cluster(settings)
                    : StackTopology.single(settings);
            LocalStack.run(settings, topology, !options.contains("--recovery"));
        } catch (RuntimeException e) {
            System.err.println();
            System.err.println("scoreboard " + command + " failed: " + e.getMessage());
            System.exit(1);
        }
    }
}
