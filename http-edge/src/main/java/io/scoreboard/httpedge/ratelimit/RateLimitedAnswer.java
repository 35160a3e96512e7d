package io.scoreboard.httpedge.ratelimit;

import io.scoreboard.httpedge.problem.HttpProblem;
import io.scoreboard.httpedge.problem.ProblemResponses;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;

/** The answer to a request over a limit: 429, {@code Retry-After} in whole seconds, code RATE_LIMITED. */
public final class RateLimitedAnswer {

    private RateLimitedAnswer() {
    }

    /**
     * @param what   the limit in words, e.g. "writes to this board"
     * @param limit  the limit that refused
     * @param setting the setting's name, so an operator knows what to change
     */
    public static void send(HttpServletRequest request, HttpServletResponse response, Verdict verdict, String what,
                            Limit limit, String setting) throws IOException {
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(verdict.retryAfterSeconds()));
        ProblemResponses.write(response, HttpProblem.RATE_LIMITED.problem("Too many " + what + " (limit: " + limit
                + ", " + setting + "); nothing was done. Retry after " + verdict.retryAfterSeconds()
                + " s (Retry-After)."), request.getRequestURI());
    }
}
