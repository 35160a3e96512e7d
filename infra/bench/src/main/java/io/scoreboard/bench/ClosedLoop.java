package io.scoreboard.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A closed-loop load: {@code clients} platform threads, each sending its next request as soon as the
 * previous one is answered, first for a warm-up whose latencies are thrown away, then for a measured
 * window. A request counts for the window when it completes inside it, so the rate is completions per
 * second of window, as a server sees it; every such latency is kept (no histogram buckets).
 */
final class ClosedLoop {

    /** One client, e.g. its own connection; {@link #call()} sends one request, true when it got the expected answer. */
    interface Client extends AutoCloseable {
        boolean call() throws Exception;

        @Override
        default void close() throws Exception {}
    }

    @FunctionalInterface
    interface ClientFactory {
        Client open(int index) throws Exception;
    }

    /**
     * What the window saw: the answered requests' latencies and rate, failures counted in
     * {@link LatencySummary#errors()}; the window in wall-clock time; CPU use over the window, or null.
     */
    record Result(LatencySummary latencies, String firstFailure, long windowStartMillis, long windowEndMillis,
                  CpuUse.Sample cpu) {}

    private ClosedLoop() {}

    /** @param cpu sampled when the window opens and closes; null to skip */
    static Result run(String name, int clients, Duration warmUp, Duration window, ClientFactory factory, CpuUse cpu)
            throws Exception {
        List<Client> opened = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                opened.add(factory.open(i));
            }
            Recorder[] recorders = new Recorder[clients];
            AtomicReference<String> firstFailure = new AtomicReference<>();
            CountDownLatch done = new CountDownLatch(clients);
            long windowStart = System.nanoTime() + warmUp.toNanos();
            long windowEnd = windowStart + window.toNanos();
            long wallStart = System.currentTimeMillis() + warmUp.toMillis();
            for (int i = 0; i < clients; i++) {
                Recorder recorder = recorders[i] = new Recorder();
                Client client = opened.get(i);
                Thread thread = new Thread(() -> {
                    try {
                        loop(client, recorder, firstFailure, windowStart, windowEnd);
                    } finally {
                        done.countDown();
                    }
                }, name + "-client-" + i);
                thread.setDaemon(true);
                thread.start();
            }
            sleepUntil(windowStart);
            CpuUse.Sample before = cpu == null ? null : cpu.sample();
            sleepUntil(windowEnd);
            CpuUse.Sample used = cpu == null ? null : cpu.sample().since(before);
            done.await();
            long errors = 0;
            int total = 0;
            for (Recorder r : recorders) {
                errors += r.errors;
                total += r.count;
            }
            long[] all = new long[total];
            int at = 0;
            for (Recorder r : recorders) {
                System.arraycopy(r.latencies, 0, all, at, r.count);
                at += r.count;
            }
            return new Result(LatencySummary.of(all, errors, windowEnd - windowStart), firstFailure.get(), wallStart,
                    wallStart + window.toMillis(), used);
        } finally {
            for (Client client : opened) {
                try {
                    client.close();
                } catch (Exception ignored) {
                    // closing a load client is best effort; its figures are already taken
                }
            }
        }
    }

    private static void loop(Client client, Recorder recorder, AtomicReference<String> firstFailure,
                             long windowStart, long windowEnd) {
        long end;
        do {
            long start = System.nanoTime();
            boolean ok;
            try {
                ok = client.call();
                if (!ok) {
                    firstFailure.compareAndSet(null, "request not answered as expected");
                }
            } catch (Exception e) {
                ok = false;
                firstFailure.compareAndSet(null, e.toString());
            }
            end = System.nanoTime();
            if (end - windowStart >= 0 && end - windowEnd <= 0) {
                if (ok) {
                    recorder.add(end - start);
                } else {
                    recorder.errors++;
                }
            }
        } while (end - windowEnd < 0);
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, left / 1_000_000));
        }
    }

    /** One client's latencies: a growing array of longs, no boxing, no sharing. */
    private static final class Recorder {
        long[] latencies = new long[1 << 12];
        int count;
        long errors;

        void add(long nanos) {
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = nanos;
        }
    }
}
