package io.scoreboard.query.scoreboard;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.Semaphore;
import org.springframework.stereotype.Component;

/**
 * Bounds the CSV exports in progress (docs/adr/0018). A client that reads slowly, or not at all, keeps
 * its export's request thread (no connection: a history export borrows one per chunk, docs/adr/0025);
 * without a bound, a handful of such clients would hold request threads without end. A full house
 * answers 503 at once rather than queueing: a queued export would hold a thread as well.
 */
@Component
class ExportSlots {

    /** Null when unbounded ({@code max-concurrent=0}). */
    private final Semaphore slots;
    private final ExportProperties properties;

    ExportSlots(ExportProperties properties, MeterRegistry meters) {
        this.properties = properties;
        this.slots = properties.maxConcurrent() > 0 ? new Semaphore(properties.maxConcurrent()) : null;
        Gauge.builder("scoreboard.query.exports.active", this, ExportSlots::active)
                .description("CSV exports in progress (bounded by scoreboard.query.exports.max-concurrent)")
                .register(meters);
    }

    /** A slot for one export, to be closed when it ends; throws {@link ExportsBusyException} when none is free. */
    Slot take() {
        if (slots == null) {
            return () -> { };
        }
        if (!slots.tryAcquire()) {
            throw new ExportsBusyException(properties.maxConcurrent() + " CSV exports are in progress, as many as "
                    + "this instance runs at once (scoreboard.query.exports.max-concurrent); retry after the "
                    + "Retry-After delay", properties.retryAfter());
        }
        return slots::release;
    }

    int active() {
        return slots == null ? 0 : properties.maxConcurrent() - slots.availablePermits();
    }

    /** Released exactly once, by try-with-resources. */
    @FunctionalInterface
    interface Slot extends AutoCloseable {
        @Override
        void close();
    }
}
