package io.scoreboard.query.live;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A server-sent-events client for tests: connects, parses events on a thread of its own, hands them out in order. */
final class SseStream implements AutoCloseable {

    record Event(String event, String id, String data) {}

    /** Put on the queue when the server ends the stream. */
    static final Event END = new Event("<end>", null, null);

    private static final HttpClient http = HttpClient.newHttpClient();

    final HttpResponse<InputStream> response;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private volatile int comments;
    /** The reader takes nothing from the connection before this (System.nanoTime); see {@link #pause}. */
    private volatile long pausedUntil;

    private SseStream(HttpResponse<InputStream> response) {
        this.response = response;
        if (response.statusCode() == 200) {
            Thread reader = new Thread(this::read, "sse-test-reader");
            reader.setDaemon(true);
            reader.start();
        }
    }

    static SseStream open(String url, String lastEventId) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return new SseStream(http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    int status() {
        return response.statusCode();
    }

    String body() throws IOException {
        return new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
    }

    /** Stops reading from the connection for {@code duration}, as a viewer that falls behind does. */
    void pause(Duration duration) {
        pausedUntil = System.nanoTime() + duration.toNanos();
    }

    int comments() {
        return comments;
    }

    /** The next event, skipping none; fails after {@code timeout}. */
    Event next(Duration timeout) throws InterruptedException {
        Event event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (event == null) {
            throw new AssertionError("no event within " + timeout);
        }
        return event;
    }

    /** The next event if one comes within {@code timeout}, else null. */
    Event poll(Duration timeout) throws InterruptedException {
        return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String event = null;
            String id = null;
            StringBuilder data = null;
            String line;
            while ((line = lines.readLine()) != null) {
                while (System.nanoTime() < pausedUntil) {
                    Thread.sleep(10);
                }
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new Event(event == null ? "message" : event, id, data.toString()));
                    }
                    event = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    comments++;
                } else if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("data: ")) {
                    data = data == null ? new StringBuilder(line.substring(6)) : data.append('\n').append(line.substring(6));
                }
            }
        } catch (IOException e) {
            // closed by the test, or by the server when it drops this viewer
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        events.add(END);
    }

    @Override
    public void close() throws IOException {
        response.body().close();
    }
}
