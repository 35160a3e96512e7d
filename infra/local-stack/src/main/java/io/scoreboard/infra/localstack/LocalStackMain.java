package io.scoreboard.infra.localstack;

import io.scoreboard.infra.localstack.up.LocalStack;
import io.scoreboard.infra.localstack.up.StackSettings;
import java.nio.file.Path;

/** Entry point of {@code ./scoreboard up}: the whole system on this machine, in the foreground. */
public final class LocalStackMain {

    private LocalStackMain() {}

    public static void main(String[] args) {
        if (args.length != 1 || !args[0].equals("up")) {
            System.err.println("usage: ./scoreboard up");
            System.exit(2);
        }
        Path root = Path.of("").toAbsolutePath();
        try {
            StackSettings settings = StackSettings.fromEnvironment(root, System.getenv());
            LocalStack.run(settings);
        } catch (RuntimeException e) {
            System.err.println();
            System.err.println("scoreboard up failed: " + e.getMessage());
            System.exit(1);
        }
    }
}
