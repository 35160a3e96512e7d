package io.scoreboard.httpedge.ratelimit;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a refusal after a pause instead of at once (docs/adr/0019).
 *
 * <p>A flood's connections send again the moment they are answered: 64 of them got 7,000 refusals a
 * second, and at 40–125 µs of CPU each that took up to a core from every other client. A refusal held
 * for up to {@code scoreboard.rate-limits.refusal-delay} (never longer than its own Retry-After, which
 * the client is told to wait anyway) turns those 64 connections into about 64 requests a second. The
 * request is parked with the Servlet container's async support, so no thread waits: a held refusal
 * costs one open socket and one timer entry. At most {@code max-delayed-refusals} are held at once;
 * beyond that a refusal is sent at once, as before, so holding cannot grow without bound.
 */
public final class DelayedRefusals implements AutoCloseable {

    /** Writes the refusal; called once, at once or after the pause. */
    @FunctionalInterface
    public interface Answer {
        void write(HttpServletResponse response) throws IOException;
    }

    private static final Logger log = LoggerFactory.getLogger(DelayedRefusals.class);
    /** Longer than any pause: a refusal whose timer was somehow lost is still answered by the container. */
    private static final long ASYNC_TIMEOUT_MARGIN_MILLIS = 5_000;

    private final long maxDelayNanos;
    private final int maxHeld;
    private final Semaphore places;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "delayed-refusals");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param maxDelay  the longest pause; zero answers every refusal at once
     * @param maxHeld   refusals held at once at most; beyond, answered at once
     */
    public DelayedRefusals(Duration maxDelay, int maxHeld) {
        this.maxDelayNanos = maxDelay.toNanos();
        this.maxHeld = Math.max(0, maxHeld);
        this.places = new Semaphore(this.maxHeld);
    }

    /** Refusals held now. */
    public int held() {
        return maxHeld - places.availablePermits();
    }

    /**
     * Writes {@code answer} after {@code min(retryAfter, refusal-delay)}, or at once when pausing is off,
     * when every place is taken, or when the request cannot be parked (a filter or servlet without
     * async support, or a test's mock request).
     */
    public void send(HttpServletRequest request, HttpServletResponse response, Duration retryAfter, Answer answer)
            throws IOException {
        long delay = Math.min(maxDelayNanos, retryAfter.toNanos());
        if (delay <= 0 || !request.isAsyncSupported() || request.isAsyncStarted() || !places.tryAcquire()) {
            answer.write(response);
            return;
        }
        AsyncContext parked;
        try {
            parked = request.startAsync(request, response);
        } catch (IllegalStateException cannotPark) {
            places.release();
            answer.write(response);
            return;
        }
        parked.setTimeout(TimeUnit.NANOSECONDS.toMillis(delay) + ASYNC_TIMEOUT_MARGIN_MILLIS);
        Held held = new Held(parked, answer);
        parked.addListener(held);
        timer.schedule(held::answer, delay, TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        // Parked refusals are answered by the container's async timeout as it shuts down.
        timer.shutdownNow();
    }

    /** One parked refusal: answered exactly once, by the timer, or ended early when the client went away. */
    private final class Held implements AsyncListener {
        private final AsyncContext parked;
        private final Answer answer;
        private final AtomicBoolean done = new AtomicBoolean();

        Held(AsyncContext parked, Answer answer) {
            this.parked = parked;
            this.answer = answer;
        }

        void answer() {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            try {
                answer.write((HttpServletResponse) parked.getResponse());
            } catch (IOException | RuntimeException clientGone) {
                log.debug("a delayed refusal could not be written: {}", clientGone.toString());
            } finally {
                places.release();
                try {
                    parked.complete();
                } catch (IllegalStateException alreadyEnded) {
                    // the container ended the request meanwhile (client gone, shutdown)
                }
            }
        }

        /** The container ended the request first (client gone, time-out at shutdown): give the place back. */
        private void ended() {
            if (done.compareAndSet(false, true)) {
                places.release();
            }
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            // Still answer, at once: the container would otherwise send its own error.
            answer();
        }

        @Override
        public void onError(AsyncEvent event) {
            ended();
        }

        @Override
        public void onComplete(AsyncEvent event) {
            ended();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }
    }
}
