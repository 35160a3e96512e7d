package io.scoreboard.query.projection;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The projection runner's meters, tagged with the projection's name: events applied and skipped as
 * duplicates, faults waited out by kind, lag and position, and whether the runner is running or failed.
 * Registered once, when the runner is made; only the runner thread counts, anyone may read.
 */
final class ProjectionMetrics {

    private final Counter appliedEvents;
    private final Counter duplicateEvents;
    private final Map<Fault.Kind, Counter> faults = new EnumMap<>(Fault.Kind.class);
    private final AtomicLong lag = new AtomicLong();
    private final AtomicLong position = new AtomicLong();
    /** The runner's, for the running and failed gauges (they hold this object weakly; the runner holds it). */
    private final Supplier<RunnerStatus> status;

    ProjectionMetrics(String projection, MeterRegistry meters, Supplier<RunnerStatus> status) {
        this.status = status;
        this.appliedEvents = Counter.builder("scoreboard.projection.events")
                .description("Events read by the projection, by outcome (duplicates are redeliveries, skipped)")
                .tag("projection", projection).tag("outcome", "applied").register(meters);
        this.duplicateEvents = Counter.builder("scoreboard.projection.events")
                .description("Events read by the projection, by outcome (duplicates are redeliveries, skipped)")
                .tag("projection", projection).tag("outcome", "duplicate").register(meters);
        Gauge.builder("scoreboard.projection.lag", lag, AtomicLong::get)
                .description("Events in the topic not yet applied by this instance (its assigned partitions)")
                .baseUnit("events").tag("projection", projection).register(meters);
        Gauge.builder("scoreboard.projection.position", position, AtomicLong::get)
                .description("Highest event-store position applied through this instance's partitions")
                .tag("projection", projection).register(meters);
        Gauge.builder("scoreboard.projection.running", this, m -> m.runnerIs(RunnerStatus.State.RUNNING))
                .description("1 while the projection runner is consuming, 0 when stopped, waiting or failed")
                .tag("projection", projection).register(meters);
        Gauge.builder("scoreboard.projection.failed", this, m -> m.runnerIs(RunnerStatus.State.FAILED))
                .description("1 when the projection runner stopped on an event it cannot apply (health names it)")
                .tag("projection", projection).register(meters);
        for (Fault.Kind kind : Fault.Kind.values()) {
            faults.put(kind, Counter.builder("scoreboard.projection.faults")
                    .description("Failed attempts of the projection runner that it waited out, by what failed")
                    .tag("projection", projection).tag("kind", kind.name().toLowerCase()).register(meters));
        }
    }

    /** The events of a committed batch, by outcome. */
    void counted(long applied, long duplicates) {
        appliedEvents.increment(applied);
        duplicateEvents.increment(duplicates);
    }

    /** A committed checkpoint's highest position; the gauge shows the highest of them all. */
    void reached(long maxPosition) {
        position.accumulateAndGet(maxPosition, Math::max);
    }

    void faultWaitedOut(Fault.Kind kind) {
        faults.get(kind).increment();
    }

    void lag(long events) {
        lag.set(events);
    }

    long lag() {
        return lag.get();
    }

    double appliedEventCount() {
        return appliedEvents.count();
    }

    double duplicateEventCount() {
        return duplicateEvents.count();
    }

    private double runnerIs(RunnerStatus.State state) {
        return status.get().state() == state ? 1 : 0;
    }
}
