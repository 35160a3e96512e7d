package io.scoreboard.operator;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs one operator command in this JVM as {@code ./scoreboard} would, capturing what it prints. */
public final class Cli {

    public record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Cli() {}

    /** A command running in the background: what it has printed to stderr so far, and its result. */
    public static final class Running {
        private final ByteArrayOutputStream err;
        private final java.util.concurrent.CompletableFuture<Result> result;

        private Running(ByteArrayOutputStream err, java.util.concurrent.CompletableFuture<Result> result) {
            this.err = err;
            this.result = result;
        }

        public String errSoFar() {
            return err.toString(StandardCharsets.UTF_8);
        }

        public boolean isDone() {
            return result.isDone();
        }

        public Result await(java.time.Duration atMost) throws Exception {
            return result.get(atMost.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Starts one command on a thread of its own (a test then changes the world under it); no other
     * command may run until it has ended, as stdout and stderr are global.
     */
    public static Running start(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        java.util.concurrent.CompletableFuture<Result> result = new java.util.concurrent.CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(run(err, args));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, "cli-" + (args.length == 0 ? "main" : args[0]));
        thread.setDaemon(true);
        thread.start();
        return new Running(err, result);
    }

    /** Synchronized: System.out and System.err are global. */
    public static Result run(String... args) {
        return run(new ByteArrayOutputStream(), args);
    }

    private static synchronized Result run(ByteArrayOutputStream capturedErr, String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream capturedOut = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(capturedOut, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(capturedErr, true, StandardCharsets.UTF_8));
            int exit = OperatorMain.run(args);
            return new Result(exit, capturedOut.toString(StandardCharsets.UTF_8),
                    capturedErr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
            out.print(capturedOut.toString(StandardCharsets.UTF_8)); // visible in the test's log too
            err.print(capturedErr.toString(StandardCharsets.UTF_8));
        }
    }
}
