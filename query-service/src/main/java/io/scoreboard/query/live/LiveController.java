package io.scoreboard.query.live;

import io.scoreboard.httpedge.ratelimit.ClientAddresses;
import io.scoreboard.httpedge.ratelimit.InFlightPerKey;
import io.scoreboard.httpedge.ratelimit.RateLimitedAnswer;
import io.scoreboard.httpedge.ratelimit.Verdict;
import io.scoreboard.query.scoreboard.InvalidQueryParameterException;
import io.scoreboard.query.scoreboard.PrivateBoards;
import io.scoreboard.query.scoreboard.ScoreboardQueries;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.sql.SQLException;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/scoreboards/{id}/live}: the board's changes as server-sent events (docs/api.md, "Live
 * boards"). Everything that can be refused is refused here, with a problem answer, before the stream starts:
 * an unknown or deleted board (404), a bad {@code Last-Event-ID} (400), too many streams (429). Then the
 * request turns asynchronous and the {@link LiveHub} feeds it; no request thread stays with it.
 */
@RestController
class LiveController {

    private final ScoreboardQueries queries;
    private final LiveHub hub;
    private final LiveProperties properties;
    private final ClientAddresses clients;
    private final RateLimitedAnswer refusal;
    private final InFlightPerKey perClient;
    private final AtomicInteger streams = new AtomicInteger();

    LiveController(ScoreboardQueries queries, LiveHub hub, LiveProperties properties, ClientAddresses clients,
                   RateLimitedAnswer refusal) {
        this.queries = queries;
        this.hub = hub;
        this.properties = properties;
        this.clients = clients;
        this.refusal = refusal;
        this.perClient = new InFlightPerKey(properties.maxStreamsPerClient());
    }

    @GetMapping("/api/v1/scoreboards/{scoreboardId}/live")
    @Operation(summary = "The board's changes as they happen (text/event-stream): a snapshot, then one change "
            + "per event with id: <position>; reconnect with Last-Event-ID to resume")
    void live(@PathVariable UUID scoreboardId,
              @RequestHeader(name = "Last-Event-ID", required = false)
              @Parameter(description = "the id (position) of the last event received; the stream resumes after it")
              String lastEventId,
              HttpServletRequest request, HttpServletResponse response) throws IOException, SQLException {
        OptionalLong resumeAfter = parse(lastEventId);
        // 404 for an unknown, deleted or (without one of its tokens) private board, as GET /{id} answers
        queries.find(scoreboardId, null);
        String client = clients.of(request);
        if (!takeStream(client, request, response)) {
            return;
        }
        boolean handedOver = false;
        try {
            response.setContentType("text/event-stream;charset=UTF-8");
            response.setHeader("Cache-Control", "no-store");
            response.setHeader("X-Accel-Buffering", "no"); // a proxy in front must not hold the events back
            // When the stream ends (board deleted, viewer dropped, shutdown) the connection goes too: a dropped
            // slow client must not keep it as an idle keep-alive connection, and a reconnect is a new request anyway.
            response.setHeader("Connection", "close");
            AsyncContext async = request.startAsync();
            async.setTimeout(0); // open until the client, the board or the service ends it
            LiveViewer viewer = new LiveViewer(scoreboardId, client, PrivateBoards.presentedTokenHash(), async,
                    properties.maxQueuedBytes(), ended -> {
                perClient.leave(ended.client());
                streams.decrementAndGet();
                hub.ended(ended);
            });
            viewer.open();
            viewer.send(LiveMessages.RETRY);
            hub.follow(viewer, resumeAfter);
            handedOver = true;
        } finally {
            if (!handedOver) {
                perClient.leave(client);
                streams.decrementAndGet();
            }
        }
    }

    /** A place for one more stream, or the 429 (with Retry-After) already sent. */
    private boolean takeStream(String client, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        Verdict refused = new Verdict(false, properties.retryAfter().toSeconds());
        if (!perClient.tryEnter(client)) {
            // A refused stream closes its connection: a client that keeps asking (an EventSource's retry loop)
            // must not also keep idle keep-alive connections open here.
            response.setHeader("Connection", "close");
            refusal.send(request, response, refused, "live streams open from your address",
                    properties.maxStreamsPerClient() + " at once", "scoreboard.live.max-streams-per-client");
            return false;
        }
        int max = properties.maxStreams();
        if (max > 0 && streams.incrementAndGet() > max) {
            streams.decrementAndGet();
            perClient.leave(client);
            response.setHeader("Connection", "close");
            refusal.send(request, response, refused, "live streams open on this instance", max + " at once",
                    "scoreboard.live.max-streams");
            return false;
        } else if (max <= 0) {
            streams.incrementAndGet();
        }
        return true;
    }

    private static OptionalLong parse(String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return OptionalLong.empty();
        }
        try {
            long position = Long.parseLong(lastEventId.trim());
            if (position < 0) {
                throw new NumberFormatException();
            }
            return OptionalLong.of(position);
        } catch (NumberFormatException e) {
            throw new InvalidQueryParameterException("Last-Event-ID must be the id of an event of this stream (a "
                    + "position: a whole number, 0 or more), not '" + abbreviate(lastEventId) + "'; without it the "
                    + "stream starts with a snapshot");
        }
    }

    private static String abbreviate(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "…";
    }
}
