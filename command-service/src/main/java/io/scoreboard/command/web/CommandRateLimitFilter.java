package io.scoreboard.command.web;

import io.scoreboard.httpedge.ratelimit.ClientAddresses;
import io.scoreboard.httpedge.ratelimit.KeyedBuckets;
import io.scoreboard.httpedge.ratelimit.RateLimitedAnswer;
import io.scoreboard.httpedge.ratelimit.Verdict;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UrlPathHelper;

/**
 * The command service's rate limits, the first filter to look at a request: a refused request gets
 * 429 before its body is read, before any lock, connection or aggregate, so it changes nothing.
 *
 * <ul>
 *   <li>Board creations ({@code POST /api/v1/scoreboards}) per client address.</li>
 *   <li>Writes per board ({@code POST/PUT/PATCH/DELETE /api/v1/scoreboards/{id}/…}), from all
 *       clients together. A write answered 401/403 gives its token back: guessing tokens must not
 *       use up a board's budget for its scorekeeper; that is what the next limit is for.</li>
 *   <li>Failed authentications per client address, counted from the answer (401/403, and 404 for a
 *       write to a board that does not exist) after the request ran; while an address has used them
 *       up, its writes are refused up front, so they cost nothing.</li>
 * </ul>
 */
public class CommandRateLimitFilter extends OncePerRequestFilter {

    static final String BOARDS = "/api/v1/scoreboards";
    /** The end of a board's token list's path, the command service's one read that takes a token. */
    static final String TOKENS = "/tokens";

    private static final Logger log = LoggerFactory.getLogger(CommandRateLimitFilter.class);
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    /** Set by the error handler when a write named a board that does not exist (SCOREBOARD_NOT_FOUND). */
    private static final String NO_SUCH_BOARD = CommandRateLimitFilter.class.getName() + ".noSuchBoard";

    private final ClientAddresses clients;
    private final KeyedBuckets boardWrites;
    private final KeyedBuckets boardCreations;
    private final KeyedBuckets failedAuthentications;
    private final RateLimitedAnswer refusal;

    public CommandRateLimitFilter(CommandRateLimits limits, long maxTrackedKeys, ClientAddresses clients,
                                  RateLimitedAnswer refusal) {
        this.clients = clients;
        this.refusal = refusal;
        this.boardWrites = new KeyedBuckets(limits.boardWrites(), maxTrackedKeys);
        this.boardCreations = new KeyedBuckets(limits.boardCreations(), maxTrackedKeys);
        this.failedAuthentications = new KeyedBuckets(limits.failedAuthentications(), maxTrackedKeys);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !path(request).startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = path(request);
        String client = clients.of(request);
        if (READS.contains(request.getMethod()) && !path.endsWith(TOKENS)) {
            chain.doFilter(request, response);
            countFailedAuthentication(request, response, null);
            return;
        }
        // Writes, and the one read that needs a token (an admin's list of tokens), are refused up front while
        // their address has used up its failed authentications.
        Verdict authentications = failedAuthentications.check(client);
        if (!authentications.allowed()) {
            refuse(request, response, authentications, "failed authentications from your address",
                    failedAuthentications, "scoreboard.rate-limits.failed-authentications");
            return;
        }
        if (path.equals(BOARDS) || path.equals(BOARDS + "/")) {
            Verdict creation = boardCreations.tryTake(client);
            if (!creation.allowed()) {
                refuse(request, response, creation, "board creations from your address", boardCreations,
                        "scoreboard.rate-limits.board-creations");
                return;
            }
            chain.doFilter(request, response);
            countFailedAuthentication(request, response, null);
            return;
        }
        String board = boardOf(path);
        if (READS.contains(request.getMethod())) {
            chain.doFilter(request, response);
            countFailedAuthentication(request, response, null);
            return;
        }
        if (board != null) {
            Verdict write = boardWrites.tryTake(board);
            if (!write.allowed()) {
                refuse(request, response, write, "writes to this scoreboard", boardWrites,
                        "scoreboard.rate-limits.board-writes");
                return;
            }
        }
        chain.doFilter(request, response);
        countFailedAuthentication(request, response, board);
    }

    private void countFailedAuthentication(HttpServletRequest request, HttpServletResponse response, String board) {
        int status = response.getStatus();
        // A write naming a board that does not exist could not be authenticated either: counted, so that a
        // flood of made-up board ids (each a credential lookup) is slowed like a flood of made-up tokens. A
        // scorekeeper's 404 for an unknown participant is not (the board exists, the token was right).
        boolean noSuchBoard = board != null && request.getAttribute(NO_SUCH_BOARD) != null;
        if (status == HttpServletResponse.SC_UNAUTHORIZED || status == HttpServletResponse.SC_FORBIDDEN || noSuchBoard) {
            failedAuthentications.record(clients.of(request));
            if (board != null) {
                boardWrites.giveBack(board);
            }
        }
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, Verdict verdict, String what,
                        KeyedBuckets limit, String setting) throws IOException {
        log.debug("rate limited {} {} from {}: {}", request.getMethod(), request.getRequestURI(),
                request.getRemoteAddr(), setting);
        refusal.send(request, response, verdict, what, limit.limit(), setting);
    }

    /** Marks the answer as SCOREBOARD_NOT_FOUND, so that the write counts as a failed authentication. */
    public static void markNoSuchBoard(HttpServletRequest request) {
        request.setAttribute(NO_SUCH_BOARD, Boolean.TRUE);
    }

    /** The board a write names, in one spelling (as the controllers read it), or null when it names none. */
    static String boardOf(String path) {
        if (!path.startsWith(BOARDS + "/")) {
            return null;
        }
        String rest = path.substring(BOARDS.length() + 1);
        int slash = rest.indexOf('/');
        String segment = slash < 0 ? rest : rest.substring(0, slash);
        try {
            return UUID.fromString(segment).toString();
        } catch (IllegalArgumentException notAnId) {
            return null; // refused as malformed by the controller, before anything is loaded
        }
    }

    /** Decoded, without path parameters: the path as Spring MVC matches it. */
    private static String path(HttpServletRequest request) {
        return UrlPathHelper.defaultInstance.getPathWithinApplication(request);
    }
}
