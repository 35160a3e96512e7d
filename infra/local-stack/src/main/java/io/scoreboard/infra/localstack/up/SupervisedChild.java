package io.scoreboard.infra.localstack.up;

import java.nio.file.Path;
import java.time.Instant;

/** A process of the local stack that its {@link Supervisor} starts again when it exits unexpectedly. */
interface SupervisedChild extends AutoCloseable {

    /** As the operator knows it: "command-service", "PostgreSQL", … */
    String name();

    /** The current process, or -1. */
    long pid();

    boolean isAlive();

    /** The exit code of the process that ended (128 + n when signal n ended it). */
    int exitCode();

    Path logFile();

    /**
     * Starts it again after its process ended, and returns once it is ready.
     *
     * @param restart 1 for the first restart, 2 for the second …
     * @throws RuntimeException when it did not come up; the message says why (the supervisor tries again)
     */
    void restart(int restart);

    /** What else the operator should know about an exit (a heap dump, the heap setting), or "". */
    default String exitHints(int exitCode, String logTail, Instant runStarted) {
        return "";
    }

    /** Stops it for good (also while a restart is under way); idempotent. */
    @Override
    void close();
}
