package io.scoreboard.infra.localstack;

import io.scoreboard.infra.localstack.up.LocalStack;
import io.scoreboard.infra.localstack.up.StackSettings;
import java.nio.file.Path;

/** Entry point of {@code ./scoreboard up}: the whole system on this machine, in the foreground. */
public final class LocalStackMain {

    private LocalStackMain() {}

    public static void main(String[] args) {
        boolean recovery = args.length == 2 && args[1].equals("--recovery");
        if (args.length < 1 || !args[0].equals("up") || (args.length == 2 && !recovery) || args.length > 2) {
            System.err.println("usage: ./scoreboard up [--recovery]");
            System.exit(2);
        }
        Path root = Path.of("").toAbsolutePath();
        try {
            StackSettings settings = StackSettings.fromEnvironment(root, System.getenv());
            LocalStack.run(settings, !recovery);
        } catch (RuntimeException e) {
            System.err.println();
            System.err.println("scoreboard up failed: " + e.getMessage());
            System.exit(1);
        }
    }
}
