package io.scoreboard.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * Clients writing continuously through several command-service instances behind a load balancer: each writer
 * owns boards and sends one score change (+1) at a time, a short pause after each, each with an Idempotency-Key
 * of its own. A refused attempt — a 5xx, or no answer because the instance died — is sent again with the same
 * key to the next instance, for a bounded time, as a careful client would. The balancer takes an instance out
 * when a connection to it fails and back once it has started again and is healthy (a passive health check and
 * a readiness probe), so refusals come from the faults, not from instances known to be down. Every write and
 * every refusal is recorded with its time: a drill can tell which writes were acknowledged and how long writes
 * were refused after a fault.
 */
final class KeyedWriters implements AutoCloseable {

    /** A board to write to: its first participant, whose score every write changes, and the scorekeeper's token. */
    record Board(UUID id, UUID participant, String authorization) {
        String scorePath() {
            return "/api/v1/scoreboards/" + id + "/participants/" + participant + "/score-changes";
        }
    }

    /** One score change, sent until acknowledged (or given up): its key, and when things happened to it. */
    static final class Write {
        final Board board;
        final String key;
        final long firstSentNanos;
        volatile long firstRefusedNanos = -1;
        volatile long acknowledgedNanos = -1;
        volatile long position = -1;
        volatile ServiceInstance acknowledgedBy;
        final List<String> refusals = new ArrayList<>();

        Write(Board board, String key, long firstSentNanos) {
            this.board = board;
            this.key = key;
            this.firstSentNanos = firstSentNanos;
        }

        boolean acknowledged() {
            return acknowledgedNanos >= 0;
        }

        /** How long the client was refused before its acknowledgement (0 when the first attempt succeeded). */
        long refusedMillis() {
            return firstRefusedNanos < 0 ? 0 : Duration.ofNanos(acknowledgedNanos - firstSentNanos).toMillis();
        }
    }

    private static final long RETRY_PAUSE_MILLIS = 100;

    private final List<ServiceInstance> instances;
    private final List<List<Board>> boardsByWriter;
    private final Duration retryFor;
    private final long pauseMillis;
    private final AtomicBoolean running = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();
    private final ConcurrentLinkedQueue<Write> writes = new ConcurrentLinkedQueue<>();
    /** Instances the balancer took out, with the {@link ServiceInstance#healthyStarts} they had then. */
    private final Map<ServiceInstance, Integer> takenOut = new ConcurrentHashMap<>();
    /** Answers no write may get, whatever the fault (a 4xx, a 5xx other than 503): status and body. */
    private final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
    /** Writer → when its newest acknowledged write was first sent (a writer's writes go one after another). */
    private final Map<Integer, Long> newestAcknowledgedByWriter = new ConcurrentHashMap<>();

    /**
     * @param instances      the command-service instances, tried in turn
     * @param boardsByWriter writer w writes round-robin to {@code boardsByWriter.get(w)}
     * @param retryFor       how long one write is retried before the writer gives it up and moves on
     * @param pauseMillis    after each write: steady load that leaves the two cores room for restarts
     */
    KeyedWriters(List<ServiceInstance> instances, List<List<Board>> boardsByWriter, Duration retryFor,
                 long pauseMillis) {
        this.instances = List.copyOf(instances);
        this.boardsByWriter = List.copyOf(boardsByWriter);
        this.retryFor = retryFor;
        this.pauseMillis = pauseMillis;
    }

    void start() {
        running.set(true);
        for (int w = 0; w < boardsByWriter.size(); w++) {
            int writer = w;
            Thread t = new Thread(() -> write(writer), "keyed-writer-" + w);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void write(int writer) {
        List<Board> boards = boardsByWriter.get(writer);
        for (int n = 0; running.get(); n++) {
            Write write = new Write(boards.get(n % boards.size()), UUID.randomUUID().toString(), System.nanoTime());
            writes.add(write);
            send(write, writer + n, System.nanoTime() + retryFor.toNanos());
            if (write.acknowledged()) {
                newestAcknowledgedByWriter.put(writer, write.firstSentNanos);
            }
            pause(pauseMillis);
        }
    }

    /** Sends the write, starting at instance {@code turn}, until acknowledged, given up, or refused for good (4xx). */
    private void send(Write write, int turn, long deadlineNanos) {
        for (int attempt = 0; System.nanoTime() < deadlineNanos; attempt++) {
            ServiceInstance instance = balance(turn + attempt);
            String refusal;
            try {
                Http.Response response = Http.post(instance.uri(write.board.scorePath()), "{\"delta\":1}",
                        "Authorization", write.board.authorization(), "Idempotency-Key", write.key);
                if (response.status() == 200) {
                    write.position = response.json().get("position").asLong();
                    write.acknowledgedBy = instance;
                    write.acknowledgedNanos = System.nanoTime();
                    return;
                }
                refusal = instance.name() + ": " + response.status();
                if (response.status() != 503) {
                    unexpected.add(refusal + " " + response.body());
                    if (response.status() < 500) {
                        return; // refused for a reason a retry does not change: the test fails on it
                    }
                }
            } catch (RuntimeException noAnswer) { // connection refused or reset: the instance is down
                refusal = instance.name() + ": " + noAnswer.getClass().getSimpleName();
                takenOut.putIfAbsent(instance, instance.healthyStarts());
            }
            synchronized (write) {
                if (write.firstRefusedNanos < 0) {
                    write.firstRefusedNanos = System.nanoTime();
                }
                write.refusals.add(refusal);
            }
            pause(RETRY_PAUSE_MILLIS);
        }
    }

    /** The {@code turn}th instance in rotation among those in service; any when none is. */
    private ServiceInstance balance(int turn) {
        takenOut.entrySet().removeIf(out -> out.getKey().healthyStarts() > out.getValue()); // started again
        List<ServiceInstance> inService = instances.stream().filter(i -> !takenOut.containsKey(i)).toList();
        List<ServiceInstance> candidates = inService.isEmpty() ? instances : inService;
        return candidates.get(Math.floorMod(turn, candidates.size()));
    }

    /** Whether every writer has had a write acknowledged that it first sent at or after {@code sinceNanos}. */
    boolean everyWriterAcknowledgedSince(long sinceNanos) {
        for (int w = 0; w < boardsByWriter.size(); w++) {
            Long newest = newestAcknowledgedByWriter.get(w);
            if (newest == null || newest < sinceNanos) {
                return false;
            }
        }
        return true;
    }

    /** Whether every instance has acknowledged a write first sent at or after {@code sinceNanos} (all serve again). */
    boolean everyInstanceAcknowledgedSince(long sinceNanos) {
        java.util.Set<ServiceInstance> serving = writes.stream()
                .filter(w -> w.acknowledged() && w.firstSentNanos >= sinceNanos)
                .map(w -> w.acknowledgedBy).collect(Collectors.toSet());
        return serving.containsAll(instances);
    }

    /** Ends the writers after the write each is sending (at most its retry time). */
    void stop() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(retryFor.toMillis() + 60_000);
            if (t.isAlive()) {
                throw new AssertionError(t.getName() + " did not end");
            }
        }
    }

    /**
     * After {@link #stop}: sends every write that was not acknowledged again with its key, until each is, or
     * {@code timeout} passes. A write that was stored but not acknowledged must answer its first result now;
     * one that never reached the store is stored now. Either way each key ends up stored exactly once.
     *
     * @return the writes still not acknowledged
     */
    List<Write> settle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Write> open = writes.stream().filter(w -> !w.acknowledged()).toList();
        int turn = 0;
        for (Write write : open) {
            send(write, turn++, deadline);
        }
        return writes.stream().filter(w -> !w.acknowledged()).toList();
    }

    List<Write> writes() {
        return List.copyOf(writes);
    }

    List<Long> acknowledgedPositions() {
        return writes.stream().filter(Write::acknowledged).map(w -> w.position).toList();
    }

    long highestAcknowledgedPosition() {
        return writes.stream().filter(Write::acknowledged).mapToLong(w -> w.position).max().orElse(0);
    }

    /** Acknowledged writes per board: with every write +1, the score each board's first participant must have. */
    Map<UUID, Long> acknowledgedPerBoard() {
        return writes.stream().filter(Write::acknowledged)
                .collect(Collectors.groupingBy(w -> w.board.id(), Collectors.counting()));
    }

    List<String> unexpectedAnswers() {
        return List.copyOf(unexpected);
    }

    /** What clients saw between two instants (System.nanoTime()), e.g. from a kill to the next fault. */
    record Stretch(long longestRefusedMillis, long longestWithoutAcknowledgementMillis, int writesRefused,
                   int writesAcknowledged) {
        @Override
        public String toString() {
            return "longest a write was refused " + longestRefusedMillis + " ms, longest without any acknowledgement "
                    + longestWithoutAcknowledgementMillis + " ms (" + writesRefused + " writes refused at least once, "
                    + writesAcknowledged + " acknowledged)";
        }
    }

    /**
     * From {@code fromNanos} to {@code toNanos}: of the writes first refused then, the longest a client waited from
     * sending it to its acknowledgement (retries included), and the longest time, from {@code fromNanos} on, in
     * which no write at all was acknowledged.
     */
    Stretch stretch(long fromNanos, long toNanos) {
        List<Write> refused = writes.stream()
                .filter(w -> w.firstRefusedNanos >= fromNanos && w.firstRefusedNanos < toNanos).toList();
        long longestRefused = refused.stream().filter(Write::acknowledged).mapToLong(Write::refusedMillis).max()
                .orElse(0);
        List<Long> acks = writes.stream().filter(Write::acknowledged).map(w -> w.acknowledgedNanos)
                .filter(t -> t >= fromNanos && t < toNanos).sorted().toList();
        long previous = fromNanos;
        long longestGap = 0;
        for (long t : acks) {
            longestGap = Math.max(longestGap, t - previous);
            previous = t;
        }
        return new Stretch(longestRefused, Duration.ofNanos(longestGap).toMillis(), refused.size(), acks.size());
    }

    @Override
    public void close() throws InterruptedException {
        if (running.get()) {
            stop();
        }
    }

    /**
     * Creates a board with two participants through the first instance that answers, with an Idempotency-Key,
     * retried with the same key until the create is acknowledged by Kafka (201; a 202 says stored, not yet
     * replicated).
     */
    static Board createBoard(List<ServiceInstance> instances, String name, Duration timeout) {
        String key = UUID.randomUUID().toString();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no attempt";
        for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
            ServiceInstance instance = instances.get(attempt % instances.size());
            try {
                Http.Response created = Http.post(instance.uri("/api/v1/scoreboards"),
                        "{\"name\":\"" + name + "\",\"participants\":[\"A\",\"B\"]}", "Idempotency-Key", key);
                if (created.status() == 201) {
                    JsonNode board = created.json();
                    return new Board(UUID.fromString(board.get("scoreboardId").asText()),
                            UUID.fromString(board.get("participants").get(0).get("participantId").asText()),
                            "Bearer " + board.get("scorekeeperToken").asText());
                }
                last = instance.name() + ": " + created.status() + " " + created.body();
            } catch (RuntimeException noAnswer) {
                last = instance.name() + ": " + noAnswer;
            }
            pause(RETRY_PAUSE_MILLIS);
        }
        throw new AssertionError("board " + name + " was not created within " + timeout.toSeconds() + " s; last "
                + "answer: " + last);
    }

    /** Each writer's boards, {@code boardsEach} of them, created in parallel. */
    static List<List<Board>> createBoards(List<ServiceInstance> instances, int writers, int boardsEach,
                                          Duration timeout) {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
        try {
            List<java.util.concurrent.Future<List<Board>>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                futures.add(pool.submit(() -> {
                    List<Board> boards = new ArrayList<>();
                    for (int b = 0; b < boardsEach; b++) {
                        boards.add(createBoard(instances, "Drill " + writer + "." + b, timeout));
                    }
                    return boards;
                }));
            }
            List<List<Board>> boards = new ArrayList<>();
            for (java.util.concurrent.Future<List<Board>> f : futures) {
                boards.add(f.get());
            }
            return boards;
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof AssertionError a ? a : new AssertionError(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Sleeps between polls; an interrupt ends the test. */
    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
