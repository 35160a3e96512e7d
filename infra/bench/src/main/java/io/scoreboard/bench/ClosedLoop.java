package io.scoreboard.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A closed-loop load: {@code clients} platform threads, each sending its next request as soon as
 * the previous one is answered, first for a warm-up whose latencies are thrown away, then for the
 * measured time, when every latency is kept. No request is in flight across the switch from
 * warm-up to measurement that could skew it: each thread decides per request which phase it is in.
 */
final class ClosedLoop {

    /** One request; true when it got the expected answer. Called by many threads at once. */
    @FunctionalInterface
    interface Request {
        boolean send(int client) throws Exception;
    }

    /** What the phase measured, and the CPU the named processes used while it ran. */
    record Result(LatencySummary latencies, CpuUse.Sample cpu) {}

    private final int clients;
    private final long warmUpNanos;
    private final long measureNanos;

    ClosedLoop(int clients, java.time.Duration warmUp, java.time.Duration measure) {
        this.clients = clients;
        this.warmUpNanos = warmUp.toNanos();
        this.measureNanos = measure.toNanos();
    }

    Result run(String name, Request request, CpuUse cpu) throws Exception {
        long start = System.nanoTime();
        long measureFrom = start + warmUpNanos;
        long measureUntil = measureFrom + measureNanos;
        CountDownLatch done = new CountDownLatch(clients);
        AtomicReference<Exception> failure = new AtomicReference<>();
        Recorder[] recorders = new Recorder[clients];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            int client = i;
            recorders[i] = new Recorder();
            Thread t = new Thread(() -> {
                try {
                    loop(request, client, recorders[client], measureFrom, measureUntil);
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            }, name + "-client-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        sleepUntil(measureFrom);
        CpuUse.Sample before = cpu.sample();
        sleepUntil(measureUntil);
        CpuUse.Sample after = cpu.sample();
        done.await();
        if (failure.get() != null) {
            throw new IllegalStateException(name + ": a client failed: " + failure.get(), failure.get());
        }
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
        return new Result(LatencySummary.of(all, errors, measureNanos), after.since(before));
    }

    private static void loop(ClosedLoop.Request request, int client, Recorder recorder, long measureFrom,
                             long measureUntil) throws Exception {
        while (true) {
            long sent = System.nanoTime();
            if (sent - measureUntil >= 0) {
                return;
            }
            boolean ok = request.send(client);
            long answered = System.nanoTime();
            // Counted when sent inside the measured window, so the window holds a closed loop's steady state.
            if (sent - measureFrom >= 0) {
                if (ok) {
                    recorder.add(answered - sent);
                } else {
                    recorder.errors++;
                }
            }
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, left / 1_000_000));
        }
    }

    /** One client's latencies: a growing array of longs, no boxing, no sharing. */
    private static final class Recorder {
        long[] latencies = new long[1 << 14];
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
