package io.scoreboard.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scoreboard.testsupport.TestDatabases;
import io.scoreboard.testsupport.TestKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;

/**
 * The command service as it runs in production, in this JVM: its own event store database (made by
 * DatabaseBootstrap, reached as the app role) and its own topic on the shared test broker, HTTP on a
 * free port. {@link #close()} stops the service before it drops the databases.
 */
public final class RunningCommandService implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final TestDatabases databases = TestDatabases.create();
    private final ServletWebServerApplicationContext context;

    /** A response: status, headers and the body as JSON (null when empty). */
    public record Response(int status, java.net.http.HttpHeaders headers, String body) {
        public JsonNode json() {
            try {
                return body.isEmpty() ? null : JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON (status " + status + "): " + body, e);
            }
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        /** The problem+json {@code code}, or null. */
        public String code() {
            JsonNode json = json();
            return json == null || json.get("code") == null ? null : json.get("code").asText();
        }
    }

    /** @param settings more {@code --name=value} settings, e.g. a short ack timeout */
    public RunningCommandService(String... settings) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.datasource.url=" + databases.eventsJdbcUrl(),
                "--spring.datasource.username=" + databases.appRole().user(),
                "--spring.datasource.password=" + databases.appRole().password(),
                "--scoreboard.kafka.bootstrap-servers=" + TestKafka.bootstrapServers(),
                "--scoreboard.kafka.topic=" + TestKafka.uniqueTopic("command-test"),
                "--scoreboard.environment=" + databases.environment(),
                "--scoreboard.idempotency.response-key=c2NvcmVib2FyZC1zeXN0ZW0tdGVzdHMtb25seS1rZXk="));
        args.addAll(List.of(settings));
        try {
            context = (ServletWebServerApplicationContext) new SpringApplicationBuilder(CommandServiceApplication.class)
                    .run(args.toArray(String[]::new));
        } catch (RuntimeException e) {
            databases.close();
            throw e;
        }
    }

    public TestDatabases databases() {
        return databases;
    }

    /** Connects to the event store as the app role, as the service does. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(databases.eventsJdbcUrl(), databases.appRole().user(),
                databases.appRole().password());
    }

    /** Connects to the event store as its owner (what only a migration may do), for setting up a case. */
    public Connection connectAsOwner() throws SQLException {
        return DriverManager.getConnection(databases.eventsJdbcUrl(), databases.ownerRole().user(),
                databases.ownerRole().password());
    }

    public Response post(String path, String body, String... headers) {
        return send("POST", path, body, headers);
    }

    /** Any method on {@code /api/v1/scoreboards + path}; {@code body} null sends none; headers as name, value, … */
    public Response send(String method, String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + context.getWebServer().getPort() + "/api/v1/scoreboards" + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A bean of the running service, e.g. its MeterRegistry. */
    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        try {
            context.close();
        } finally {
            databases.close();
        }
    }
}
