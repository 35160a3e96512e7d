package io.scoreboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** The command service's REST API as the benchmark's clients use it: creating boards, changing scores. */
final class CommandApi {

    /** A board the benchmark created, with what a scorekeeper needs to score it. */
    record Board(String scoreChangesPrefix, String scorekeeperAuthorization, String[] participantIds) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int CREATE_ATTEMPTS = 5;

    private final URI base;
    private final HttpClient http;
    /** The client address a trusted proxy would name in X-Forwarded-For; null: none (the TCP peer is the client). */
    private final String forwardedFor;

    CommandApi(URI base) {
        this(base, null);
    }

    /**
     * @param forwardedFor sent as {@code X-Forwarded-For} on every request, so that a service trusting this
     *                     machine as its proxy counts the requests against that address (the abuse scenario)
     */
    CommandApi(URI base, String forwardedFor) {
        this.base = base;
        this.forwardedFor = forwardedFor;
        // HTTP/1.1 with keep-alive: each client thread reuses a pooled connection, as a busy API client does.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Creates {@code count} boards with {@code participants} participants each, over {@code clients} connections. */
    List<Board> createBoards(int count, int participants, int clients) throws Exception {
        Board[] boards = new Board[count];
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Exception> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < clients; t++) {
            Thread thread = new Thread(() -> {
                int i;
                while (failure.get() == null && (i = next.getAndIncrement()) < count) {
                    try {
                        boards[i] = createBoard("Bench board " + i, participants);
                    } catch (Exception e) {
                        failure.compareAndSet(null, e);
                    }
                }
            }, "create-boards-" + t);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return List.of(boards);
    }

    /**
     * Creates a board as a careful client does: with an Idempotency-Key, retried after a 503 (the event store could
     * not be reached; the retry returns the first answer if there was one). A 202 is a board stored but not yet
     * acknowledged by Kafka within the ack timeout: its body holds the tokens, and the board can be used at once.
     */
    private Board createBoard(String name, int participants) throws Exception {
        String key = UUID.randomUUID().toString();
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> response = postBoard(name, participants, key);
            if (response.statusCode() == 201 || response.statusCode() == 202) {
                return board(response.body());
            }
            if (response.statusCode() != 503 || attempt == CREATE_ATTEMPTS) {
                throw new IOException("creating a board answered " + response.statusCode() + " (attempt " + attempt
                        + "): " + response.body());
            }
        }
    }

    private HttpResponse<String> postBoard(String name, int participants, String idempotencyKey) throws Exception {
        StringBuilder body = new StringBuilder("{\"name\":\"").append(name).append("\",\"participants\":[");
        for (int p = 0; p < participants; p++) {
            body.append(p == 0 ? "" : ",").append("\"Player ").append(p + 1).append('"');
        }
        body.append("]}");
        return http.send(request("/api/v1/scoreboards").header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey).POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Board board(String createdJson) throws IOException {
        JsonNode created = JSON.readTree(createdJson);
        JsonNode list = created.get("participants");
        String[] ids = new String[list.size()];
        for (int p = 0; p < ids.length; p++) {
            ids[p] = list.get(p).get("participantId").asText();
        }
        return new Board("/api/v1/scoreboards/" + created.get("scoreboardId").asText() + "/participants/",
                "Bearer " + created.get("scorekeeperToken").asText(), ids);
    }

    /**
     * Waits until the replicator has caught up with the event store ({@code GET /api/v1/ops/replication} reports no
     * lag), so that a lag measured from the topic afterwards misses no event; returns how long that took.
     */
    Duration awaitReplicated(Duration timeout) throws Exception {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (true) {
            HttpResponse<String> response = http.send(request("/api/v1/ops/replication").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200 && JSON.readTree(response.body()).get("lagEvents").asLong() == 0) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("replication did not catch up within " + timeout.toSeconds() + " s: "
                        + response.statusCode() + " " + response.body());
            }
            Thread.sleep(200);
        }
    }

    /**
     * A distribution summary's (count, total) from the service's actuator, e.g. how many writes the group commit
     * stored per transaction; null when the service has no such meter (the CRUD reference).
     */
    double[] summary(String meter) throws Exception {
        HttpResponse<String> response = http.send(request("/actuator/metrics/" + meter).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            return null;
        }
        double count = 0;
        double total = 0;
        for (JsonNode m : JSON.readTree(response.body()).get("measurements")) {
            switch (m.get("statistic").asText()) {
                case "COUNT" -> count = m.get("value").asDouble();
                case "TOTAL" -> total = m.get("value").asDouble();
                default -> { }
            }
        }
        return new double[] {count, total};
    }

    /** A load client: each call changes one random participant's score on one random board. */
    ClosedLoop.Client scoreChanges(List<Board> boards) {
        return () -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            Board board = boards.get(random.nextInt(boards.size()));
            String participant = board.participantIds()[random.nextInt(board.participantIds().length)];
            HttpResponse<String> response = http.send(request(board.scoreChangesPrefix() + participant
                            + "/score-changes").header("Content-Type", "application/json")
                    .header("Authorization", board.scorekeeperAuthorization())
                    .POST(HttpRequest.BodyPublishers.ofString("{\"delta\":" + (1 + random.nextInt(10)) + "}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("a score change answered " + response.statusCode() + ": " + response.body());
            }
            return true;
        };
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT);
        return forwardedFor == null ? request : request.header("X-Forwarded-For", forwardedFor);
    }
}
