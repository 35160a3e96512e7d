package io.scoreboard.operator.cli;

import io.scoreboard.startup.EnvironmentVariables;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Waits out transient faults ({@link TransientFaults}): a step that fails because PostgreSQL or Kafka
 * is unreachable, restarting or timing out is tried again after 0.5 s, 1 s, 2 s … up to 10 s, with one
 * line on stderr per wait saying what is unreachable, where, and how to stop; after {@code --wait}
 * without success it gives up with exit code 4 and a message naming the server and the fix. An
 * answer (wrong environment, wrong password, bad data) is never retried. Each outage gets the whole
 * bound: a step that succeeds starts the count again (ADR 0020).
 */
public final class WaitingOut {

    static final Duration FIRST_DELAY = Duration.ofMillis(500);
    static final Duration MAX_DELAY = Duration.ofSeconds(10);

    /** One try of a step; it must be safe to run again after a transient failure. */
    @FunctionalInterface
    public interface Step<T> {
        T run() throws Exception;
    }

    @FunctionalInterface
    public interface VoidStep {
        void run() throws Exception;
    }

    /** How the wait is spent (tests and Ctrl-C: the JVM ends a sleeping thread as any other). */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final Duration bound;
    private final Console console;
    private final Target target;
    private final Sleeper sleeper;
    private final String afterward;

    /** @param afterward what the operator should know when a wait gives up (what was kept, how to go on) */
    public WaitingOut(Duration bound, Console console, Target target, String afterward) {
        this(bound, console, target, afterward, d -> Thread.sleep(d.toMillis()));
    }

    public WaitingOut(Duration bound, Console console, Target target, String afterward, Sleeper sleeper) {
        this.bound = bound;
        this.console = console;
        this.target = target;
        this.afterward = afterward;
        this.sleeper = sleeper;
    }

    /** Gives up at the first transient fault, with the same message (benchmarks, library use). */
    public static WaitingOut never(Console console, Target target) {
        return new WaitingOut(Duration.ZERO, console, target, "");
    }

    public Duration bound() {
        return bound;
    }

    /**
     * Runs {@code step} until it succeeds, an answer ends it, or the bound is over.
     *
     * @param doing     what the step does, for messages ("reading the event store")
     * @param afterward what the operator should know when it gives up (what was kept, how to go on)
     */
    public <T> T retry(String doing, String afterward, Step<T> step) throws Exception {
        Attempts attempts = attempts(doing, afterward);
        while (true) {
            try {
                return step.run();
            } catch (Exception e) {
                attempts.failed(e);
            }
        }
    }

    public void retry(String doing, String afterward, VoidStep step) throws Exception {
        retry(doing, afterward, () -> {
            step.run();
            return null;
        });
    }

    /** {@link #retry(String, String, Step)} with the command's own word on giving up. */
    public <T> T retry(String doing, Step<T> step) throws Exception {
        return retry(doing, afterward, step);
    }

    /** For a loop of its own that resumes where it was: call {@link Attempts#failed} from its catch. */
    public Attempts attempts(String doing, String afterward) {
        return new Attempts(doing, afterward);
    }

    /** {@link #attempts(String, String)} with the command's own word on giving up. */
    public Attempts attempts(String doing) {
        return new Attempts(doing, afterward);
    }

    /** The attempts at one step: counts a continuous outage, and waits or gives up. */
    public final class Attempts {
        private final String doing;
        private final String afterward;
        private int failures;
        private long outageStartNanos;
        /** An outage began, at the latest, when the try that failed first began. */
        private long tryStartNanos = System.nanoTime();
        private Duration delay = FIRST_DELAY;

        private Attempts(String doing, String afterward) {
            this.doing = doing;
            this.afterward = afterward;
        }

        /**
         * Rethrows {@code failure} unless it is transient; gives up (exit 4) once the outage has lasted
         * {@code --wait}; otherwise says so and waits before the caller tries again.
         */
        public void failed(Exception failure) throws Exception {
            failed(failure, afterward);
        }

        /** {@link #failed(Exception)}, saying {@code afterwardNow} if it gives up (what is kept by now). */
        public void failed(Exception failure, String afterwardNow) throws Exception {
            Optional<TransientFaults.Fault> fault = TransientFaults.classify(failure);
            if (fault.isEmpty()) {
                throw failure;
            }
            long now = System.nanoTime();
            if (failures++ == 0) {
                outageStartNanos = tryStartNanos;
            }
            Duration left = bound.minus(Duration.ofNanos(now - outageStartNanos));
            if (left.isNegative() || left.isZero()) {
                throw giveUp(fault.get(), failure, afterwardNow);
            }
            Duration wait = delay.compareTo(left) < 0 ? delay : left;
            console.waiting("waiting: " + fault.get().server().label() + " at " + address(fault.get().server())
                    + " is unreachable while " + doing + " (" + fault.get().reason() + "); attempt " + failures
                    + " failed, next in " + WaitBound.format(wait) + ", giving up after " + WaitBound.format(bound)
                    + " (--wait); Ctrl-C stops");
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw giveUp(fault.get(), failure, afterwardNow);
            }
            tryStartNanos = System.nanoTime();
            delay = delay.multipliedBy(2).compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay.multipliedBy(2);
        }

        /** The step went through: a later outage gets the whole bound again. */
        public void succeeded() {
            failures = 0;
            tryStartNanos = System.nanoTime();
            delay = FIRST_DELAY;
        }

        private OperatorException giveUp(TransientFaults.Fault fault, Exception failure, String afterward) {
            String server = fault.server().label() + " at " + address(fault.server());
            String after = bound.isZero() ? "" : " for " + WaitBound.format(bound) + " (--wait " + WaitBound.format(bound) + ")";
            return OperatorException.unreachable(server + " was unreachable" + after + " while " + doing + ": "
                    + fault.reason() + (afterward.isEmpty() ? "" : ". " + afterward), fixFor(fault.server()), failure);
        }
    }

    private String fixFor(TransientFaults.Server server) {
        String setting = server == TransientFaults.Server.POSTGRESQL
                ? "--events-url / --read-url (" + EnvironmentVariables.EVENTS_URL + " / "
                        + EnvironmentVariables.READ_URL + ")"
                : "--kafka (" + EnvironmentVariables.KAFKA + ")";
        return "start " + (server == TransientFaults.Server.POSTGRESQL ? "PostgreSQL" : "the Kafka broker")
                + " (locally: ./scoreboard up) or check " + setting + ", taken from " + target.origin()
                + "; then run the command again, with --wait <duration> (e.g. --wait 10m) to wait longer";
    }

    /** The message a wait gives up with, for a fault seen elsewhere (status: Kafka did not answer its check). */
    public OperatorException unreachable(TransientFaults.Server server, String doing, String reason) {
        return attempts(doing).giveUp(new TransientFaults.Fault(server, reason), null, afterward);
    }

    /** Where the server is, as configured: host:port of the databases, or Kafka's bootstrap servers. */
    String address(TransientFaults.Server server) {
        if (server == TransientFaults.Server.KAFKA) {
            return target.kafka();
        }
        Set<String> hosts = new LinkedHashSet<>();
        for (String url : new String[] {target.eventsUrl(), target.readUrl()}) {
            hosts.add(hostOf(url));
        }
        return String.join(", ", hosts);
    }

    private static String hostOf(String jdbcUrl) {
        try {
            URI uri = URI.create(jdbcUrl.replaceFirst("^jdbc:", ""));
            return uri.getHost() == null ? jdbcUrl : uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        } catch (IllegalArgumentException e) {
            return jdbcUrl;
        }
    }
}
