package io.scoreboard.infra.localstack.up;

import io.scoreboard.infra.localstack.EmbeddedPostgres;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The embedded PostgreSQL under the supervisor: a server that died is replaced by a new one on the same
 * data and port (it recovers from its WAL), once the dead one's processes are gone; the services'
 * connection pools reconnect.
 */
final class SupervisedPostgres implements SupervisedChild {

    private static final Duration WAIT_FOR_OLD_PROCESSES = Duration.ofSeconds(60);

    private volatile EmbeddedPostgres current;
    private boolean closed;

    SupervisedPostgres(EmbeddedPostgres postgres) {
        this.current = postgres;
    }

    @Override
    public String name() {
        return "PostgreSQL";
    }

    @Override
    public long pid() {
        return current.pid();
    }

    @Override
    public boolean isAlive() {
        return current.isRunning();
    }

    @Override
    public int exitCode() {
        return current.exitCode();
    }

    @Override
    public Path logFile() {
        return current.logFile();
    }

    @Override
    public void restart(int restart) {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("PostgreSQL is being stopped");
            }
        }
        EmbeddedPostgres next = current.startAgain(WAIT_FOR_OLD_PROCESSES);
        synchronized (this) {
            if (!closed) {
                current = next;
                return;
            }
        }
        next.close(); // stopped while it was starting
        throw new IllegalStateException("PostgreSQL is being stopped");
    }

    @Override
    public void close() {
        EmbeddedPostgres postgres;
        synchronized (this) {
            closed = true;
            postgres = current;
        }
        postgres.close();
    }
}
