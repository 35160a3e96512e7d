package io.scoreboard.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Background load: each writer is one client (its own address through {@code X-Forwarded-For}) that changes
 * scores at a steady pace, round-robin over boards of its own, each board well under the per-board rate
 * limit; a writer that does get a 429 backs off as a polite client would. Steady, not flat out: the writes
 * overlap every other request (and every large transaction) without saturating two cores, so that the
 * read side keeps up and {@code minPosition} reads are answered. Counts the answers by status.
 */
final class OrdinaryWriters implements AutoCloseable {

    private final ExecutorService pool;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    private final List<Future<?>> loops = new ArrayList<>();

    /**
     * @param pauseMillis   between two writes of one writer
     * @param addressPrefix e.g. "203.0.113.": writer w speaks as {@code addressPrefix + (w + 1)}
     */
    OrdinaryWriters(RunningSystem system, int writers, int boardsEach, long pauseMillis, String addressPrefix) {
        pool = Executors.newFixedThreadPool(writers);
        // the boards first, all of them (in parallel): from then on no writer creates anything
        List<Future<List<String[]>>> boards = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            String name = "Writer " + w;
            String address = addressPrefix + (w + 1);
            boards.add(pool.submit(() -> boards(system, name, boardsEach, address)));
        }
        for (int w = 0; w < writers; w++) {
            String address = addressPrefix + (w + 1);
            List<String[]> targets = done(boards.get(w));
            loops.add(pool.submit(() -> write(system, address, targets, pauseMillis)));
        }
    }

    private static <T> T done(Future<T> future) {
        try {
            return future.get(2, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new IllegalStateException("an ordinary writer could not create its boards", e);
        }
    }

    /** The writer's boards: for each, the path of its first participant's score changes and the scorekeeper's token. */
    private static List<String[]> boards(RunningSystem system, String name, int count, String address) {
        List<String[]> targets = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            Http.Response created = Http.post(system.commandUri("/api/v1/scoreboards"),
                    "{\"name\":\"" + name + "." + b + "\",\"participants\":[\"A\",\"B\"]}", "X-Forwarded-For", address);
            if (created.status() != 201 && created.status() != 202) {
                throw new AssertionError("an ordinary writer's board was refused: " + created.status() + " "
                        + created.body());
            }
            JsonNode board = created.json();
            targets.add(new String[] {"/api/v1/scoreboards/" + board.get("scoreboardId").asText() + "/participants/"
                    + board.get("participants").get(0).get("participantId").asText() + "/score-changes",
                    "Bearer " + board.get("scorekeeperToken").asText()});
        }
        return targets;
    }

    private void write(RunningSystem system, String address, List<String[]> targets, long pauseMillis) {
        for (int i = 0; running.get(); i++) {
            String[] target = targets.get(i % targets.size());
            int status = Http.post(system.commandUri(target[0]), "{\"delta\":1}", "Authorization", target[1],
                    "X-Forwarded-For", address).status();
            statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
            sleepQuietly(status == 429 ? 1_000 : pauseMillis);
        }
    }

    /** Status → how many answers had it, so far. */
    Map<Integer, AtomicInteger> statuses() {
        return statuses;
    }

    @Override
    public void close() throws Exception {
        running.set(false);
        try {
            for (Future<?> loop : loops) {
                loop.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
