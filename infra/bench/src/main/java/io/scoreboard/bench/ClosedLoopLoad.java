package io.scoreboard.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A closed loop: each of N clients sends its next request as soon as the previous one is answered.
 * All clients run through a warm-up, then a measurement window; a request counts for the window
 * when it completes inside it (so the rate is completions per second of window, as a server sees it).
 */
final class ClosedLoopLoad {

    /** One client's connection; {@link #call()} sends one request and says whether it was acknowledged. */
    interface Client extends AutoCloseable {
        boolean call() throws Exception;

        @Override
        default void close() throws Exception {}
    }

    @FunctionalInterface
    interface ClientFactory {
        Client open(int index) throws Exception;
    }

    /** What the window saw: acknowledged requests' latencies and rate; failures apart. */
    record Result(LatencyStats acknowledged, long failures, String firstFailure, long windowStartMillis,
                  long windowEndMillis) {}

    private ClosedLoopLoad() {}

    static Result run(int clients, Duration warmUp, Duration window, ClientFactory factory) throws Exception {
        List<Client> opened = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                opened.add(factory.open(i));
            }
            long[][] samples = new long[clients][];
            int[] counts = new int[clients];
            AtomicLong failures = new AtomicLong();
            AtomicReference<String> firstFailure = new AtomicReference<>();
            CountDownLatch done = new CountDownLatch(clients);
            long windowStart = System.nanoTime() + warmUp.toNanos();
            long windowEnd = windowStart + window.toNanos();
            long wallStart = System.currentTimeMillis() + warmUp.toMillis();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                int index = i;
                Thread thread = new Thread(() -> {
                    long[] mine = new long[1024];
                    int n = 0;
                    Client client = opened.get(index);
                    try {
                        long end;
                        do {
                            long start = System.nanoTime();
                            boolean ok;
                            try {
                                ok = client.call();
                            } catch (Exception e) {
                                ok = false;
                                firstFailure.compareAndSet(null, e.toString());
                            }
                            end = System.nanoTime();
                            if (end >= windowStart && end <= windowEnd) {
                                if (ok) {
                                    if (n == mine.length) {
                                        mine = Arrays.copyOf(mine, n * 2);
                                    }
                                    mine[n++] = end - start;
                                } else {
                                    failures.incrementAndGet();
                                    firstFailure.compareAndSet(null, "request not acknowledged");
                                }
                            }
                        } while (end < windowEnd);
                    } finally {
                        samples[index] = mine;
                        counts[index] = n;
                        done.countDown();
                    }
                }, "load-client-" + i);
                threads.add(thread);
                thread.start();
            }
            done.await();
            int total = Arrays.stream(counts).sum();
            long[] all = new long[total];
            int offset = 0;
            for (int i = 0; i < clients; i++) {
                System.arraycopy(samples[i], 0, all, offset, counts[i]);
                offset += counts[i];
            }
            return new Result(LatencyStats.of(all, windowEnd - windowStart), failures.get(), firstFailure.get(),
                    wallStart, wallStart + window.toMillis());
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
}
