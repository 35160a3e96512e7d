package io.scoreboard.query.scoreboard;

import static io.scoreboard.query.scoreboard.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.ParticipantTeamChangedEvent;
import io.scoreboard.events.TeamCreatedEvent;
import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.projections.BoardEvents;
import io.scoreboard.query.QueryTestApplication;
import io.scoreboard.query.projection.ProjectionRunner;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The CSV exports end to end: events published to a real broker, projected by the live runner into a
 * real PostgreSQL, downloaded over HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class ScoreboardExportIntegrationTest {

    private static final QueryTestApplication app = new QueryTestApplication("query-export").createTopic();
    private static final String CSV_HEADER = "time,sequence_number,position,participant_id,participant_name,type,"
            + "delta,score_after,reason,undone,undoes_sequence_number,token_id,token_label";
    private static final String ROUND_COMMENT = "Round 1, \"final\"\r\n=cmd";

    /** Rows the server has taken from PostgreSQL for history exports (see ExportRowCounting). */
    private static final AtomicLong exportRowsRead = new AtomicLong();

    @Autowired
    private TestRestTemplate http;

    @LocalServerPort
    private int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        app.properties().forEach((key, value) -> registry.add(key, () -> value));
        registry.add("scoreboard.query.min-position-timeout", () -> "60s"); // the large board takes a while
    }

    @AfterAll
    static void tearDown(@Autowired ProjectionRunner runner) {
        runner.stop(Duration.ofSeconds(10));
        app.close();
    }

    /**
     * Small socket send buffers, so that a client that stops reading stops the server after a few KiB
     * instead of after the megabytes the kernel would otherwise buffer; and a count of the rows the
     * history export has read from the database, to compare with what the client has received.
     */
    @TestConfiguration
    static class ExportRowCounting {

        @Bean
        WebServerFactoryCustomizer<TomcatServletWebServerFactory> smallSocketSendBuffer() {
            return factory -> factory.addConnectorCustomizers(
                    connector -> connector.setProperty("socket.txBufSize", "8192"));
        }

        @Bean
        static BeanPostProcessor countExportRows() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) {
                    return bean instanceof DataSource dataSource ? counting(dataSource) : bean;
                }
            };
        }

        private static DataSource counting(DataSource target) {
            return proxy(DataSource.class, target, (method, result, args) ->
                    result instanceof Connection c ? proxy(Connection.class, c, (m, r, a) ->
                            r instanceof PreparedStatement p && a != null && a[0] instanceof String sql
                                    && sql.contains("score history export")
                                    ? proxy(PreparedStatement.class, p, (m2, r2, a2) ->
                                    r2 instanceof ResultSet rs ? proxy(ResultSet.class, rs, (m3, r3, a3) -> {
                                        if (m3.getName().equals("next") && Boolean.TRUE.equals(r3)) {
                                            exportRowsRead.incrementAndGet();
                                        }
                                        return r3;
                                    }) : r2)
                                    : r) : result);
        }

        @FunctionalInterface
        private interface Wrap {
            Object wrap(java.lang.reflect.Method method, Object result, Object[] args);
        }

        private static <T> T proxy(Class<T> type, T target, Wrap wrap) {
            InvocationHandler handler = (self, method, args) -> {
                try {
                    return wrap.wrap(method, method.invoke(target, args), args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            };
            return type.cast(Proxy.newProxyInstance(ExportRowCounting.class.getClassLoader(), new Class<?>[]{type},
                    handler));
        }
    }

    /**
     * Names with a comma, quotes, a line break and a leading '='; decimals, a negative score, a round
     * with an awkward comment, and a change that is undone.
     */
    private record Quiz(BoardEvents board, List<EventEnvelope> events) {
        EventEnvelope last() {
            return events.get(events.size() - 1);
        }

        EventEnvelope at(long sequenceNumber) {
            return events.stream().filter(e -> e.sequenceNumber() == sequenceNumber).findFirst().orElseThrow();
        }

        UUID id(String name) {
            return board.participant(name);
        }

        String path() {
            return "/api/v1/scoreboards/" + board.id();
        }
    }

    private Quiz publishQuiz() {
        BoardEvents board = new BoardEvents();
        List<EventEnvelope> events = new ArrayList<>(List.of(
                board.created("Quiz, \"night\"", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD),   // 0
                board.added("Smith, Ann"), board.added("Bob \"B\""), board.added("Line\nBreak"), // 1 2 3
                board.added("=1+2"),                                                             // 4
                board.scoreSet("Smith, Ann", "12.5"),                                            // 5
                board.scoreSet("Bob \"B\"", "-5"),                                               // 6
                board.round(ROUND_COMMENT, "Smith, Ann=13.25", "Line\nBreak=500"),               // 7
                board.scoreSet("=1+2", "0.0001"),                                                // 8
                board.scoreSet("Line\nBreak", "1000"),                                           // 9
                board.undo()));                                                                  // 10, undoes 9
        app.topic().publish(events.toArray(EventEnvelope[]::new));
        return new Quiz(board, events);
    }

    /** The board's own copy of its history: every event, oldest first, the published envelope without hashes. */
    @Test
    void events_areEveryEventOfTheBoard_asPublished_withoutTokenHashes() throws Exception {
        Quiz quiz = publishQuiz();

        ResponseEntity<String> response = get(quiz.path() + "/events.ndjson?minPosition=" + quiz.last().position());

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(HttpStatus.OK);
        assertThat(response.getHeaders().getContentType()).isNotNull();
        assertThat(response.getHeaders().getContentType().toString()).startsWith("application/x-ndjson");
        assertThat(response.getHeaders().getContentDisposition().getFilename())
                .isEqualTo("scoreboard-" + quiz.board().id() + "-events.ndjson");
        String body = response.getBody();
        assertThat(body).endsWith("\n").doesNotContain("admin-hash", "keeper-hash").doesNotContainIgnoringCase("hash\"");
        List<String> lines = body.lines().toList();
        assertThat(lines).hasSize(quiz.events().size());
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (int i = 0; i < lines.size(); i++) {
            com.fasterxml.jackson.databind.JsonNode line = json.readTree(lines.get(i));
            EventEnvelope event = quiz.events().get(i);
            assertThat(line.get("eventId").asText()).isEqualTo(event.eventId().toString());
            assertThat(line.get("sequenceNumber").asLong()).isEqualTo(i);
            assertThat(line.get("position").asLong()).isEqualTo(event.position());
            assertThat(line.get("type").asText()).isEqualTo(event.type());
            com.fasterxml.jackson.databind.JsonNode published = json.readTree(io.scoreboard.events.EventJson.writeEnvelope(event));
            ((com.fasterxml.jackson.databind.node.ObjectNode) published.get("payload"))
                    .remove(List.of("adminTokenHash", "scorekeeperTokenHash"));
            assertThat(line).as("line %d", i).isEqualTo(published);
        }
    }

    @Test
    void standings_areOneRowPerParticipantInRankOrder_escapedAndExact() throws Exception {
        Quiz quiz = publishQuiz();

        ResponseEntity<String> response = get(quiz.path() + "/export.csv?minPosition=" + quiz.last().position());

        assertCsv(response, "scoreboard-" + quiz.board().id() + ".csv");
        // nobody has a team: team_id and team_name are empty
        String board = "," + quiz.board().id() + ",\"Quiz, \"\"night\"\"\",HIGHEST_FIRST,STANDARD,10,,\r\n";
        assertThat(response.getBody()).isEqualTo(
                "rank,participant_id,name,score,scoreboard_id,scoreboard_name,score_order,ranking,version,team_id,"
                        + "team_name\r\n"
                        + "1," + quiz.id("Line\nBreak") + ",\"Line\nBreak\",500" + board
                        + "2," + quiz.id("Smith, Ann") + ",\"Smith, Ann\",13.25" + board
                        + "3," + quiz.id("=1+2") + ",'=1+2,0.0001" + board
                        + "4," + quiz.id("Bob \"B\"") + ",\"Bob \"\"B\"\"\",-5" + board);
    }

    /** team_id and team_name close each row (ADR 0046): the team's name is user text, escaped like any other. */
    @Test
    void standings_endWithTheParticipantsTeam() throws Exception {
        BoardEvents board = new BoardEvents();
        UUID team = UUID.randomUUID();
        EventEnvelope last;
        app.topic().publish(board.created("Teams", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD), board.added("Ann"),
                board.added("Bob"), board.scoreSet("Ann", "2"),
                board.next(new TeamCreatedEvent(board.id(), team, "=Red, \"A\"", null)),
                last = board.next(new ParticipantTeamChangedEvent(board.id(), board.participant("Ann"), team, null)));

        ResponseEntity<String> response = get("/api/v1/scoreboards/" + board.id() + "/export.csv?minPosition="
                + last.position());

        assertCsv(response, "scoreboard-" + board.id() + ".csv");
        String columns = "," + board.id() + ",Teams,HIGHEST_FIRST,STANDARD," + last.sequenceNumber() + ",";
        assertThat(response.getBody().lines().skip(1).toList()).containsExactly(
                "1," + board.participant("Ann") + ",Ann,2" + columns + team + ",\"'=Red, \"\"A\"\"\"",
                "2," + board.participant("Bob") + ",Bob,0" + columns + ",");
    }

    @Test
    void history_isEveryScoreChangeOldestFirst_withRoundsAndTheUndo() throws Exception {
        Quiz quiz = publishQuiz();

        ResponseEntity<String> response = get(quiz.path() + "/history/export.csv?minPosition="
                + quiz.last().position());

        assertCsv(response, "scoreboard-" + quiz.board().id() + "-history.csv");
        String comment = "\"Round 1, \"\"final\"\"\r\n=cmd\"";
        List<String> round = Stream.of(
                        row(quiz, 7, "Smith, Ann", "\"Smith, Ann\"", "RoundRecorded", "0.75", "13.25", comment, false, ""),
                        row(quiz, 7, "Line\nBreak", "\"Line\nBreak\"", "RoundRecorded", "500", "500", comment, false, ""))
                .sorted(Comparator.comparing(r -> r.split(",")[3])) // within an event by participant id
                .toList();
        assertThat(response.getBody()).isEqualTo(CSV_HEADER + "\r\n"
                + row(quiz, 5, "Smith, Ann", "\"Smith, Ann\"", "ScoreChanged", "12.5", "12.5", "", false, "")
                + row(quiz, 6, "Bob \"B\"", "\"Bob \"\"B\"\"\"", "ScoreChanged", "-5", "-5", "", false, "")
                + String.join("", round)
                + row(quiz, 8, "=1+2", "'=1+2", "ScoreChanged", "0.0001", "0.0001", "", false, "")
                + row(quiz, 9, "Line\nBreak", "\"Line\nBreak\"", "ScoreChanged", "500", "1000", "", true, "")
                + row(quiz, 10, "Line\nBreak", "\"Line\nBreak\"", "ScoreChangeUndone", "-500", "500", "", false, "9"));
    }

    @Test
    void history_filtersByParticipant_alsoARemovedOne_andByTime() throws Exception {
        Quiz quiz = publishQuiz();
        UUID bob = quiz.id("Bob \"B\"");
        String bobsChange = row(quiz, 6, "Bob \"B\"", "\"Bob \"\"B\"\"\"", "ScoreChanged", "-5", "-5", "", false, "")
                .replace("\r\n", ""); // before the removal: BoardEvents forgets removed names
        EventEnvelope removed = quiz.board().removed("Bob \"B\"");
        app.topic().publish(removed);
        String history = quiz.path() + "/history/export.csv";

        assertThat(body(get(history + "?minPosition=" + removed.position() + "&participantId=" + quiz.id("Line\nBreak"))))
                .extracting(row -> row.split(",")[1])
                .isEqualTo(List.of("7", "9", "10"));
        assertThat(body(get(history + "?participantId=" + bob)))
                .containsExactly(bobsChange);

        // [from, to): from the round's time up to, not including, the time of the change that is undone.
        String from = quiz.at(7).occurredAt().toString();
        String to = quiz.at(9).occurredAt().toString();
        assertThat(body(get(history + "?from=" + from + "&to=" + to)))
                .extracting(row -> row.split(",")[1])
                .isEqualTo(List.of("7", "7", "8"));
        assertThat(body(get(history + "?from=" + quiz.at(10).occurredAt())))
                .extracting(row -> row.split(",")[1])
                .isEqualTo(List.of("10"));
        assertThat(body(get(history + "?to=" + quiz.at(5).occurredAt()))).isEmpty();
        // An offset instead of Z (the + sent as %2B): 01:00 at +01:00 is midnight UTC.
        assertThat(body(get(history + "?from=2025-01-01T01:00:00%2B01:00"))).hasSize(7);
    }

    @Test
    void badParameters_unknownParticipant_unknownOrDeletedBoard_areProblemsBeforeAnyCsv() throws Exception {
        Quiz quiz = publishQuiz();
        String history = quiz.path() + "/history/export.csv";
        get(quiz.path() + "?minPosition=" + quiz.last().position());

        assertProblem(get(history + "?from=yesterday"), HttpStatus.BAD_REQUEST, "from must be an ISO-8601 instant",
                "'yesterday'");
        assertProblem(get(history + "?to=2025-01-01"), HttpStatus.BAD_REQUEST, "to must be an ISO-8601 instant");
        assertProblem(get(history + "?from=2025-01-02T00:00:00Z&to=2025-01-01T00:00:00Z"), HttpStatus.BAD_REQUEST,
                "from must not be after to");
        assertProblem(get(history + "?participantId=ann"), HttpStatus.BAD_REQUEST, "participantId");
        UUID stranger = UUID.randomUUID();
        assertProblem(get(history + "?participantId=" + stranger), HttpStatus.NOT_FOUND, "participantId " + stranger);
        for (String path : List.of(quiz.path() + "/export.csv", history)) {
            assertProblem(get(path + "?minPosition=-1"), HttpStatus.BAD_REQUEST, "minPosition");
            assertProblem(get(path + "?minPosition=soon"), HttpStatus.BAD_REQUEST, "minPosition");
        }
        assertProblem(get("/api/v1/scoreboards/not-a-uuid/export.csv"), HttpStatus.BAD_REQUEST, "scoreboardId");

        String unknown = "/api/v1/scoreboards/" + UUID.randomUUID();
        assertProblem(get(unknown + "/export.csv"), HttpStatus.NOT_FOUND, "does not exist");
        assertProblem(get(unknown + "/history/export.csv"), HttpStatus.NOT_FOUND, "does not exist");

        EventEnvelope deleted = quiz.board().deleted();
        app.topic().publish(deleted);
        assertProblem(get(quiz.path() + "/export.csv?minPosition=" + deleted.position()), HttpStatus.NOT_FOUND,
                "has been deleted");
        assertProblem(get(history), HttpStatus.NOT_FOUND, "has been deleted");
    }

    /**
     * 50,000 changes (1,000 rounds of 50) come out whole. And streamed: a client that has read only
     * the first rows has made the server read only a few thousand rows from PostgreSQL, bounded by
     * the fetch size and the bytes in flight, not the whole history.
     */
    @Test
    void largeHistory_isExportedCompletely_andStreamedFromTheCursor() throws Exception {
        BoardEvents board = new BoardEvents();
        List<EventEnvelope> events = new ArrayList<>();
        events.add(board.created("Marathon", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD));
        String[] names = new String[50];
        for (int p = 0; p < names.length; p++) {
            names[p] = "Runner " + p;
            events.add(board.added(names[p]));
        }
        for (int round = 1; round <= 1_000; round++) {
            String[] scores = new String[names.length];
            for (int p = 0; p < names.length; p++) {
                scores[p] = names[p] + "=" + round * (p + 1) + ".5";
            }
            events.add(board.round("lap " + round, scores));
        }
        app.topic().publish(events.toArray(EventEnvelope[]::new));
        String path = "/api/v1/scoreboards/" + board.id() + "/history/export.csv";
        awaitProjected(board.id(), events.get(events.size() - 1).position());

        exportRowsRead.set(0);
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(8192); // before connecting, so the kernel does not grow it
            socket.connect(new InetSocketAddress("localhost", port));
            OutputStream request = socket.getOutputStream();
            // HTTP/1.0: the body is not chunked and ends when the server closes.
            request.write(("GET " + path + " HTTP/1.0\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            request.flush();
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 200").containsIgnoringCase("content-type: text/csv");

            BufferedReader csv = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 256);
            assertThat(csv.readLine()).isEqualTo(CSV_HEADER);
            assertThat(csv.readLine()).contains(",RoundRecorded,", ",lap 1,false,");
            long readBeforeTheRest = exportRowsRead.get();
            assertThat(readBeforeTheRest).as("rows read from PostgreSQL when the first one reached the client")
                    .isPositive().isLessThan(10_000);

            long rows = 2;
            String last = null;
            for (String line = csv.readLine(); line != null; line = csv.readLine()) {
                rows++;
                last = line;
            }
            assertThat(rows).isEqualTo(1 + 50_000);
            assertThat(last).contains(",RoundRecorded,", ",lap 1000,false,");
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in the response head: " + head);
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** One history row as the export writes it, CRLF included. */
    private static String row(Quiz quiz, long sequenceNumber, String name, String nameField, String type, String delta,
                              String scoreAfter, String reasonField, boolean undone, String undoes) {
        EventEnvelope event = quiz.at(sequenceNumber);
        return String.join(",", event.occurredAt().toString(), Long.toString(sequenceNumber),
                Long.toString(event.position()), quiz.id(name).toString(), nameField, type, delta, scoreAfter,
                reasonField, Boolean.toString(undone), undoes, "", "") + "\r\n"; // no token: written before tokens
    }

    private static void assertCsv(ResponseEntity<String> response, String fileName) {
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(HttpStatus.OK);
        MediaType type = response.getHeaders().getContentType();
        assertThat(type).isNotNull();
        assertThat(type.isCompatibleWith(MediaType.parseMediaType("text/csv"))).isTrue();
        assertThat(type.getCharset()).isEqualTo(StandardCharsets.UTF_8);
        assertThat(response.getHeaders().getFirst(HttpHeaders.CONTENT_DISPOSITION))
                .isEqualTo("attachment; filename=\"" + fileName + "\"");
        assertThat(response.getHeaders().getFirst("X-Projection-Position")).matches("\\d+");
        assertThat(response.getBody()).doesNotStartWith("\uFEFF");
    }

    /** The data records, each without its CRLF (header checked and dropped). */
    private static List<String> body(ResponseEntity<String> response) {
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(HttpStatus.OK);
        List<String> records = new ArrayList<>();
        String csv = response.getBody();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < csv.length(); i++) {
            char ch = csv.charAt(i);
            if (ch == '"') {
                quoted = !quoted; // a doubled quote toggles twice
            } else if (!quoted && ch == '\r' && csv.startsWith("\r\n", i)) {
                records.add(csv.substring(start, i));
                start = i + 2;
                i++;
            }
        }
        assertThat(start).as("the last record ends with CRLF").isEqualTo(csv.length());
        assertThat(records.get(0)).isEqualTo(CSV_HEADER);
        return records.subList(1, records.size());
    }

    /** As a URI, so that nothing is encoded again (%2B stays %2B). */
    /**
     * Waits until the read side has applied {@code position}: 50,000 score changes take the projection tens of
     * seconds on a loaded two-core machine, longer than one minPosition wait (60 s) may last, and an export of a
     * history the projection has not finished would rightly be short. This test is about the export, not about how
     * fast the projection is (BENCHMARKS.md measures that).
     */
    private void awaitProjected(UUID boardId, long position) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(4);
        ResponseEntity<String> read = get("/api/v1/scoreboards/" + boardId + "?minPosition=" + position);
        while (read.getStatusCode().value() == 503 && System.nanoTime() < deadline) {
            read = get("/api/v1/scoreboards/" + boardId + "?minPosition=" + position);
        }
        assertThat(read.getStatusCode().value()).as("the projection reached position %d: %s", position,
                read.getBody()).isEqualTo(200);
    }

    private ResponseEntity<String> get(String path) {
        return http.exchange(URI.create(path), HttpMethod.GET, new HttpEntity<>(new HttpHeaders()), String.class);
    }
}
