package io.scoreboard.httpedge.ratelimit;

import io.scoreboard.httpedge.problem.HttpProblem;
import io.scoreboard.httpedge.problem.Problem;
import io.scoreboard.httpedge.problem.ProblemResponses;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import org.springframework.http.HttpHeaders;

/**
 * The answer to a request over a limit: 429, {@code Retry-After} in whole seconds, code RATE_LIMITED,
 * sent after a pause ({@link DelayedRefusals}) so that a flooding connection is slowed down too.
 */
public final class RateLimitedAnswer {

    private final DelayedRefusals delayedRefusals;

    public RateLimitedAnswer(DelayedRefusals delayedRefusals) {
        this.delayedRefusals = delayedRefusals;
    }

    /** Every refusal at once (tests that call a filter directly). */
    public static RateLimitedAnswer immediate() {
        return new RateLimitedAnswer(new DelayedRefusals(Duration.ZERO, 0));
    }

    /**
     * @param what    the limit in words, e.g. "writes to this board"
     * @param limit   the limit that refused
     * @param setting the setting's name, so an operator knows what to change
     */
    public void send(HttpServletRequest request, HttpServletResponse response, Verdict verdict, String what,
                     Limit limit, String setting) throws IOException {
        send(request, response, verdict, what, limit.toString(), setting);
    }

    /** As above, for a bound that is not a rate ({@code limit} in words, e.g. "16 at once"). */
    public void send(HttpServletRequest request, HttpServletResponse response, Verdict verdict, String what,
                     String limit, String setting) throws IOException {
        long retryAfter = verdict.retryAfterSeconds();
        Problem problem = HttpProblem.RATE_LIMITED.problem("Too many " + what + " (limit: " + limit + ", " + setting
                + "); nothing was done. Retry after " + retryAfter + " s (Retry-After).");
        String instance = request.getRequestURI();
        delayedRefusals.send(request, response, Duration.ofSeconds(retryAfter), parkedResponse -> {
            parkedResponse.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
            ProblemResponses.write(parkedResponse, problem, instance);
        });
    }
}
